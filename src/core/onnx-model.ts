import { findModel, type ModelEntry } from './manifest.js';
import type { ModelContext } from './model-context.js';
import { MatcherError } from './errors.js';
import type { ModelSession, TensorData } from '../runtime/session.js';

/** A manifest entry with its open session; the one place modules turn a model name into a session. */
export class OnnxModel {
  private session: ModelSession | null;
  private constructor(readonly entry: ModelEntry, session: ModelSession) {
    this.session = session;
  }

  static async open(ctx: ModelContext, id: string, precision?: string): Promise<OnnxModel> {
    const entry = findModel(ctx.manifest, id, precision ?? ctx.precision);
    const bytes = await ctx.loadModel(entry);
    try {
      return new OnnxModel(entry, await ctx.backend.createSession(bytes, { threads: ctx.threads }));
    } catch (e) {
      if (e instanceof MatcherError) throw e;
      throw new MatcherError('MODEL_LOAD_FAILED', `could not open model ${entry.file}: ${(e as Error).message}`, { cause: e });
    }
  }

  async run(input: Float32Array, dims: readonly number[]): Promise<Record<string, TensorData>> {
    if (!this.session) throw new MatcherError('DISPOSED', `model ${this.entry.id} was disposed`);
    try {
      return await this.session.run({ [this.entry.input.name]: { data: input, dims } });
    } catch (e) {
      throw new MatcherError('INFERENCE_FAILED', `model ${this.entry.id} failed: ${(e as Error).message}`, { cause: e });
    }
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = null;
    await s?.dispose();
  }
}
