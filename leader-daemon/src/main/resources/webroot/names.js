// The same name rules as the server (shared-protocol Names.java), so the dialog can check as you type.
export function unitNameProblem(name) {
  if (!name || !name.trim()) return 'a worker name is required';
  if (name.length > 63) return 'a worker name has at most 63 characters (RFC 1123)';
  if (name.toLowerCase().endsWith('.local')) return "give the hostname without '.local'";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'a worker name cannot be an IP address; put the address in the IPv4 field';
  if (name === '$broadcast') return "'$broadcast' is reserved";
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return "a worker name may contain only letters, digits, '-' and '_'";
  if (name.toLowerCase() === 'localhost') return "'localhost' is not a worker name";
  if (name.startsWith('-') || name.endsWith('-')) return "a worker name cannot start or end with '-' (RFC 1123)";
  return null;
}

export function ipv4Problem(s) {
  if (!s) return null;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) return 'four numbers 0-255 separated by dots, e.g. 192.168.1.42';
  return null;
}

export function experimentNameProblem(name) {
  if (!name || !name.trim()) return 'an experiment name is required';
  if (name.length > 199) return 'an experiment name has fewer than 200 characters';
  if (name === 'current') return "'current' is reserved";
  if (name.startsWith('_testing')) return "names starting with '_testing' are reserved";
  if (/[#$%+/\\]/.test(name)) return 'an experiment name cannot contain any of # $ % + / \\';
  return null;
}
