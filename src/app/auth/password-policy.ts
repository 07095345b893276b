/**
 * What a password must be: at least 12 characters, and not guessable — checked offline by
 * zxcvbn-ts against its common-password, English-word and name dictionaries, keyboard
 * patterns, dates and repeats, with the account's own e-mail, name and handle as extra
 * words. The refusal quotes zxcvbn's own warning and suggestion so the person knows why.
 * Applied wherever a password is chosen: setup, a new user (invitation), an admin's
 * reset and a user's own change.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { fieldError, type FirebreakError } from '../../domain/errors.js';

export const PASSWORD_MIN_LENGTH = 12;
/** zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more. */
export const PASSWORD_MIN_SCORE = 3;

const zxcvbn = new ZxcvbnFactory({
  translations: en.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...en.dictionary },
});

/** Words of the account that a password must not lean on. */
export interface PasswordContext {
  readonly email?: string;
  readonly name?: string;
  readonly handle?: string;
}

/** The reason `password` is refused, or null when it is good enough. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  const words = [context.email, context.email?.split('@')[0], context.name, context.handle].filter((w): w is string => typeof w === 'string' && w !== '');
  const result = zxcvbn.check(password, words);
  if (result.score >= PASSWORD_MIN_SCORE) return null;
  const why = [result.feedback.warning, ...result.feedback.suggestions].filter((t): t is string => typeof t === 'string' && t !== '');
  return `is too easy to guess${why.length ? `: ${why.join(' ')}` : ''}`;
}

/** Throws a 400 naming `field` when the password is refused. */
export function checkPassword(password: string, context: PasswordContext = {}, field = 'password'): void {
  const problem = passwordProblem(password, context);
  if (problem !== null) throw weakPassword(field, problem);
}

function weakPassword(field: string, problem: string): FirebreakError {
  return fieldError('FB_ERR_AUTH_WEAK_PASSWORD', field, problem);
}
