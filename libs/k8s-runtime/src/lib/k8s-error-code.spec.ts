import { ApiException } from '@kubernetes/client-node';
import { k8sErrorCode } from './k8s-error-code.js';

const status = (code: number, reason: string): string =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message: 'm' });

describe('k8sErrorCode', () => {
  it('reads the Status reason from a client-node 2.x ApiException body', () => {
    expect(k8sErrorCode(new ApiException(409, 'x', status(409, 'AlreadyExists'), {}))).toBe('AlreadyExists');
    expect(k8sErrorCode(new ApiException(409, 'x', status(409, 'Conflict'), {}))).toBe('Conflict');
    expect(k8sErrorCode(new ApiException(422, 'x', status(422, 'Invalid'), {}))).toBe('Invalid');
    expect(k8sErrorCode(new ApiException(404, 'x', status(404, 'NotFound'), {}))).toBe('NotFound');
  });

  it('falls back to the HTTP status when the body is missing or not JSON', () => {
    expect(k8sErrorCode(new ApiException(404, 'x', undefined, {}))).toBe('NotFound');
    expect(k8sErrorCode(new ApiException(409, 'x', 'not json', {}))).toBe('Conflict');
    expect(k8sErrorCode(new ApiException(403, 'x', '', {}))).toBe('Forbidden');
    expect(k8sErrorCode(new ApiException(503, 'x', '', {}))).toBe('ServerError');
    expect(k8sErrorCode(Object.assign(new Error('Gone'), { statusCode: 410 }))).toBe('Gone');
  });

  it('classifies plain Status objects and unknown values', () => {
    expect(k8sErrorCode({ kind: 'Status', code: 410, reason: 'Expired' })).toBe('Gone');
    expect(k8sErrorCode(new Error('ECONNREFUSED'))).toBe('Unknown');
    expect(k8sErrorCode('boom')).toBe('Unknown');
    expect(k8sErrorCode(null)).toBe('Unknown');
  });
});
