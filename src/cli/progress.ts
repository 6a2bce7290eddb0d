/**
 * A one-line progress bar with rate and ETA on stderr, drawn only when stderr is a terminal and
 * the command was not asked for machine output (never pollutes --json, logs or pipes).
 */
export interface Progress {
  tick(n?: number): void;
  /** Ends the line (and says how far it got when the work stopped early). */
  done(): void;
}

export function progressBar(total: number, label: string, options: { quiet?: boolean } = {}): Progress {
  const stream = process.stderr;
  const draw = stream.isTTY && !options.quiet;
  const start = Date.now();
  let n = 0;
  let last = 0;
  const render = (force: boolean) => {
    if (!draw) return;
    const now = Date.now();
    // Redrawing on every tick of a fast loop costs more than the loop itself.
    if (!force && now - last < 100) return;
    last = now;
    stream.write(`\r${progressLine(n, total, (now - start) / 1000, label, stream.columns ?? 80)}\x1b[K`);
  };
  render(true);
  return {
    tick(k = 1) {
      n += k;
      render(n >= total);
    },
    done() {
      if (!draw) return;
      render(true);
      stream.write('\n');
    },
  };
}

/** `label [#####-----] 120/300 40% 12.3/s ETA 0:15`, cut to the terminal's width. */
export function progressLine(done: number, total: number, elapsedS: number, label: string, columns = 80): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const eta = rate > 0 && done < total ? ` ETA ${clock((total - done) / rate)}` : done >= total ? ` ${clock(elapsedS)}` : '';
  const tail = ` ${done}/${total} ${Math.floor(frac * 100)}%${rate > 0 ? ` ${rate.toFixed(1)}/s` : ''}${eta}`;
  const width = Math.max(10, Math.min(30, columns - label.length - tail.length - 4));
  const filled = Math.round(frac * width);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`.slice(0, Math.max(20, columns - 1));
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
