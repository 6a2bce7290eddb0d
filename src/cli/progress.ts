/** A one-line progress bar on stderr, only when stderr is a terminal (never pollutes --json output). */
export function progressBar(total: number, label: string): { tick(): void; done(): void } {
  const tty = process.stderr.isTTY;
  let n = 0;
  const draw = () => {
    if (!tty) return;
    const width = 30;
    const filled = Math.round((n / Math.max(1, total)) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${n}/${total}`);
  };
  draw();
  return {
    tick() {
      n++;
      draw();
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
