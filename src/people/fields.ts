/** Checks of the fields people type: an email address, a display name, a role. */
import { badField, type Check, text } from '../validate/fields';
import { isRole, ROLES, type Role } from './roles';

// Deliberately loose (one @, a dot in the domain, no spaces): the emailed link or code is the real check.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

export const email: Check<string> = (value, field) => {
  if (typeof value !== 'string' || !EMAIL.test(value.trim())) throw badField(field, 'an email address');
  return value.trim().toLowerCase();
};

export const displayName: Check<string> = (value, field) => text('a name of 1–100 characters', { max: 100, nonBlank: true })(value, field).trim();

export const role: Check<Role> = (value, field) => {
  if (!isRole(value)) throw badField(field, ROLES.map((r) => `"${r}"`).join(', '));
  return value;
};
