import {
  fieldDuplicate,
  fieldErrorBody,
  fieldErrorText,
  fieldForbidden,
  fieldInternal,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  type FieldError,
} from './field-error.js';

describe('field errors render as k8s field.Error text', () => {
  it.each<[string, FieldError, string]>([
    ['Invalid, string value quoted', fieldInvalid('spec.subnet', '10.0.0.1/8', 'not canonical'), 'spec.subnet: Invalid value: "10.0.0.1/8": not canonical'],
    ['Invalid, null value', fieldInvalid('spec.ipVersion', null, 'not generated'), 'spec.ipVersion: Invalid value: <nil>: not generated'],
    ['Invalid, number and no detail', fieldInvalid('spec.vethMTU', 0, ''), 'spec.vethMTU: Invalid value: 0'],
    ['NotSupported lists the supported values', fieldNotSupported('spec.ipVersion', 5, ['4', '6']), 'spec.ipVersion: Unsupported value: 5: supported values: "4", "6"'],
    ['Required', fieldRequired('spec.sriovConfig', 'resourceName is required'), 'spec.sriovConfig: Required value: resourceName is required'],
    ['Forbidden', fieldForbidden('spec.subnet', 'is not changeable'), 'spec.subnet: Forbidden: is not changeable'],
    ['Duplicate', fieldDuplicate('spec.ips[2]', '10.0.0.1'), 'spec.ips[2]: Duplicate value: "10.0.0.1"'],
    ['TooLong, bytes', fieldTooLong('metadata.name', 'x', 63), 'metadata.name: Too long: may not be more than 63 bytes'],
    ['TooLong, one byte', fieldTooLong('a', 'xx', 1), 'a: Too long: may not be more than 1 byte'],
    ['TooLong, unknown limit', fieldTooLong('a', 'xx', -1), 'a: Too long: value is too long'],
    ['Internal', fieldInternal('spec.ips', 'failed to parse'), 'spec.ips: Internal error: failed to parse'],
  ])('%s', (_, e, text) => {
    expect(fieldErrorText(e)).toBe(text);
    expect(fieldErrorBody(e)).toBe(text.slice(e.path.length + 2));
  });

  it('the constructors build the shared shape', () => {
    expect(fieldNotSupported('p', 'x', ['a'])).toEqual({ path: 'p', type: 'NotSupported', value: 'x', supported: ['a'], detail: '' });
    expect(fieldForbidden('p', 'no')).toEqual({ path: 'p', type: 'Forbidden', detail: 'no' });
  });
});
