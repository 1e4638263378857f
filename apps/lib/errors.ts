/**
 * Coded HTTP errors. Every error body has the same shape:
 * `{ statusCode, code, message, errors?: [{ in, path, message }] }`, where `errors` lists every
 * field problem of a 400 at once.
 */

export interface FieldError {
  /** `body`, `querystring`, `params` or `headers`. */
  in: string;
  /** JSON pointer to the offending value (`/events/3/eventId`); `/` for the whole part. */
  path: string;
  message: string;
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: FieldError[];
}

export class AppError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  constructor(
    statusCode: number,
    code: string,
    message: string,
    extra: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'AppError';
    this.statusCode = statusCode;
    this.code = code;
    this.errors = extra.errors;
    this.headers = extra.headers;
  }

  toBody(): ErrorBody {
    return this.errors
      ? { statusCode: this.statusCode, code: this.code, message: this.message, errors: this.errors }
      : { statusCode: this.statusCode, code: this.code, message: this.message };
  }
}

interface AjvLikeError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Ajv errors as field errors: `required` and `additionalProperties` point at the field itself. */
export function toFieldErrors(part: string, errors: AjvLikeError[]): FieldError[] {
  return errors.map((e) => {
    let path = e.instancePath;
    if (e.keyword === 'required') path += `/${String(e.params.missingProperty)}`;
    if (e.keyword === 'additionalProperties') path += `/${String(e.params.additionalProperty)}`;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'enum') message += `: ${(e.params.allowedValues as unknown[]).join(', ')}`;
    if (e.keyword === 'additionalProperties') message = 'is not an allowed property';
    if (e.keyword === 'required') message = 'is required';
    if (e.keyword === 'pattern' && e.params.pattern === '^(?!0000)') message = 'has year 0000, which PostgreSQL cannot store; years start at 0001';
    return { in: part, path: path || '/', message };
  });
}
