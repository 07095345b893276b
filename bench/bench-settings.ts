/**
 * Settings the benchmarks read from the environment. A bad value stops the run at once with
 * exit code 2 and a message naming the variable, instead of a run that measures nonsense.
 */
export function positiveIntegerSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = Number(raw ?? fallback);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`${name} must be a positive integer (e.g. ${fallback}), not "${raw}"\n`);
    process.exit(2);
  }
  return value;
}
