/** Sign-in rules with no I/O: the e-mail normaliser. */
export { normalizeEmail } from './email-address.js';
