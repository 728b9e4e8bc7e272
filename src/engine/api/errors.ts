import { KINDS, type Kind } from './types';

/** The status reasons the API server answers with (metav1.StatusReason). */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Invalid'
  | 'BadRequest'
  | 'Conflict'
  | 'Forbidden'
  | 'TooManyRequests'
  /** metav1.StatusReasonUnknown: a failure Status without a reason (e.g. the eviction subresource's 500). */
  | '';

/**
 * An API error, printed by kubectl as `Error from server (REASON): MESSAGE`.
 * @example throw ApiError.notFound('Pod', 'web') // Error from server (NotFound): pods "web" not found
 */
export class ApiError extends Error {
  constructor(
    readonly reason: StatusReason,
    message: string,
    /** The Status details' causes (e.g. the PDB arithmetic of a refused eviction); kubectl does not print them. */
    readonly causes: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The line kubectl prints. Invalid (validation) errors are printed by kubectl without "from server". */
  toKubectl(): string {
    // kubectl prints a 422 Invalid status as its bare message: `The Pod "web" is invalid: ...`.
    if (this.reason === 'Invalid') return this.message;
    if (this.reason === '') return `Error from server: ${this.message}`;
    return `Error from server (${this.reason}): ${this.message}`;
  }

  /** A validation failure: `The Pod "web" is invalid: spec.containers[0].image: Required value`. */
  static invalid(kind: Kind, name: string, causes: string[]): ApiError {
    return new ApiError('Invalid', `The ${kind} "${name}" is invalid: ${causes.length > 1 ? `[${causes.join(', ')}]` : causes[0]}`);
  }

  static notFound(kind: Kind, name: string): ApiError {
    return new ApiError('NotFound', `${KINDS[kind].plural} "${name}" not found`);
  }

  static alreadyExists(kind: Kind, name: string): ApiError {
    return new ApiError('AlreadyExists', `${KINDS[kind].plural} "${name}" already exists`);
  }

  /** A ResourceQuota-style refusal, used when a request would take the cluster past the simulation's envelope. */
  static exceeded(kind: Kind, name: string, detail: string): ApiError {
    return new ApiError('Forbidden', `${KINDS[kind].plural} "${name}" is forbidden: exceeded quota: simulation-envelope, ${detail}`);
  }
}
