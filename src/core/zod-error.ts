import type { z } from 'zod';

/** One line per problem, with the option's path, so a user can fix it without reading our code. */
export function formatZodError(err: z.ZodError, prefix = ''): string {
  return err.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** The path of the first problem, e.g. 'input.shape', for `MatcherError.field`. */
export function firstZodPath(err: z.ZodError, prefix = ''): string {
  return [prefix, ...(err.issues[0]?.path.map(String) ?? [])].filter(Boolean).join('.');
}
