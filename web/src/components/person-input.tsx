/**
 * Picks a person by handle (the name incident logs record). Suggests the people the page
 * knows of (users, when the viewer may list them; members; role holders; anyone in the
 * log) and still accepts a handle typed by hand.
 */
import { Autocomplete } from '@mantine/core';
import { useSession, useUsers } from '../api/queries.js';

export function PersonInput({
  label,
  value,
  onChange,
  known,
  description,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  known: readonly string[];
  description?: string;
}) {
  const me = useSession().data?.user;
  const users = useUsers(me?.role === 'admin');
  const options = new Map<string, string>();
  for (const user of users.data ?? []) options.set(user.handle, `${user.handle} (${user.name})`);
  for (const handle of known) if (handle && !options.has(handle)) options.set(handle, handle);
  return (
    <Autocomplete
      label={label}
      description={description}
      placeholder="handle, e.g. alice"
      required
      data={[...options.keys()]}
      value={value}
      onChange={(next) => onChange(next.replace(/^@/, ''))}
      openOnFocus={false}
      data-autofocus
    />
  );
}
