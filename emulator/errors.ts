/** An error the local cloud answers with HTTP 200 + {code, message, requestId}, as the real service does. */
export class CloudError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidParam = (message: string) => new CloudError('INVALID_PARAM', message);
export const requestFailed = (message: string) => new CloudError('DATABASE_REQUEST_FAILED', message);
export const collectionNotExist = (name: string) =>
  new CloudError('DATABASE_COLLECTION_NOT_EXIST', `[ResourceNotFound] Db or Table not exist: ${name}. Please check your request.`);
export const txConflict = () =>
  new CloudError(
    'DATABASE_TRANSACTION_CONFLICT',
    '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem persists, contact us.',
  );
export const txNotExist = () =>
  new CloudError(
    'DATABASE_TRANSACTION_FAIL',
    '[ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server, transaction must be commit or abort in 30 seconds. Please check your request, but if the problem persists, contact us.',
  );
