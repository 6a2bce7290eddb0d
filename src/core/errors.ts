/**
 * Stable error codes. Code that handles errors should switch on `code`, never on the message.
 * Adding a code is a minor change; renaming or removing one is a breaking change.
 */
export const ERROR_CODES = [
  'INVALID_OPTIONS',
  'INVALID_ARGUMENT',
  'INVALID_IMAGE',
  'IMAGE_DECODE_FAILED',
  'IMAGE_EMPTY',
  'IMAGE_TOO_LARGE',
  'INPUT_TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'FILE_NOT_FOUND',
  'FILE_READ_FAILED',
  'FILE_WRITE_FAILED',
  'NO_FACE',
  'TOO_MANY_FACES',
  'TIMEOUT',
  'MODEL_NOT_FOUND',
  'MODEL_MANIFEST_INVALID',
  'MODEL_CHECKSUM_MISMATCH',
  'MODEL_LOAD_FAILED',
  'INFERENCE_FAILED',
  'UNKNOWN_MODULE',
  'RUNTIME_UNSUPPORTED',
  'DISPOSED',
  'GALLERY_INVALID',
  'GALLERY_CORRUPT',
  'GALLERY_VERSION',
  'GALLERY_MODEL_MISMATCH',
  'GALLERY_DECRYPT_FAILED',
  'GALLERY_PASSPHRASE_REQUIRED',
  'INDEX_ERROR',
  'SIGHTING_NOT_FOUND',
  'GROUP_NOT_FOUND',
  'FACE_NOT_FOUND',
  'NETWORK_FORBIDDEN',
  'AMBIGUOUS_FACE',
] as const;

export type MatcherErrorCode = (typeof ERROR_CODES)[number];

export class MatcherError extends Error {
  readonly code: MatcherErrorCode;
  /** The option or manifest field at fault, when one is (e.g. 'embedder.manifest.sha256'). */
  readonly field?: string;
  constructor(code: MatcherErrorCode, message: string, options?: { cause?: unknown; field?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MatcherError';
    this.code = code;
    if (options?.field !== undefined) this.field = options.field;
  }
}

export function isMatcherError(e: unknown, code?: MatcherErrorCode): e is MatcherError {
  return e instanceof MatcherError && (code === undefined || e.code === code);
}
