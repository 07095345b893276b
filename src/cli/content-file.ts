/**
 * Reads the YAML or JSON file a command takes its fields from (`--from`, `--file`), with
 * errors that name the option, the file and what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fieldError } from '../domain/errors.js';

export function readContentFile(file: string, option = '--from'): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fieldError('FB_ERR_INPUT_INVALID', option, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw fieldError('FB_ERR_INPUT_INVALID', option, `${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
}
