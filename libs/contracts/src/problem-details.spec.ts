import { isProblemDetails } from './problem-details';

describe('isProblemDetails', () => {
  it('accepts the RFC 9457 members with their types', () => {
    expect(isProblemDetails({ type: 'about:blank', title: 'Not Found', status: 404 })).toBe(true);
  });

  it('rejects bodies missing a member or with a wrong type', () => {
    expect(isProblemDetails({ title: 'Not Found', status: 404 })).toBe(false);
    expect(isProblemDetails({ type: 'about:blank', title: 'Not Found', status: '404' })).toBe(
      false,
    );
    expect(isProblemDetails(null)).toBe(false);
    expect(isProblemDetails('oops')).toBe(false);
  });
});
