/** The transformation errors are client errors: HttpError with status 400 and a message that says what to fix. */
import { describe, expect, it } from 'vitest';
import { errorResponse, HttpError } from '../../../src/http/errors';
import { BadParam, UnknownParam } from '../../../src/transform/errors';

describe('BadParam', () => {
  it('is a 400 HttpError naming the parameter, the value and what is accepted', () => {
    const error = new BadParam('w', '0', 'an integer from 1 to 16383');
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BadParam');
    expect(error.status).toBe(400);
    expect([error.param, error.value, error.accepts]).toEqual(['w', '0', 'an integer from 1 to 16383']);
    expect(error.message).toBe('Invalid transformation parameter "w": "0". Accepted: an integer from 1 to 16383.');
    expect(error.help).not.toBe('');
  });

  it('says a value is required when there is none', () => {
    expect(new BadParam('q', undefined, 'an integer').message).toBe(
      'Invalid transformation parameter "q": a value is required. Accepted: an integer.',
    );
  });

  it('becomes a 400 JSON response with the message', async () => {
    const response = errorResponse(new BadParam('w', '0', 'x'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: 'Invalid transformation parameter "w": "0". Accepted: x.' });
  });
});

describe('UnknownParam', () => {
  it('is a 400 HttpError quoting the token and listing the known parameters', () => {
    const error = new UnknownParam('zz-1', ['w', 'h']);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.name).toBe('UnknownParam');
    expect(error.status).toBe(400);
    expect(error.message).toBe('Unknown transformation parameter in "zz-1". Accepted parameters: w, h.');
  });
});
