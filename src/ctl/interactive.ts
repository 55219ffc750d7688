/**
 * dmctl's interactive mode (`dmctl --master-addr X` without a command): `Welcome to dmctl`, the version
 * lines, then a `» ` prompt; each line is split into arguments like a shell would for simple quoting and run
 * through the same command tree. `exit`, `quit`, Ctrl-D (end of input) and Ctrl-C on an empty line leave.
 *
 * Invariants: a failing command never ends the session (the runner returns an exit code, it does not exit);
 * lines run one at a time, in order; blanks around a line are ignored (DM #1202).
 */
import { createInterface } from 'node:readline';

export const PROMPT = '» ';

/**
 * Splits a command line into arguments: blanks separate; '...' keeps everything literally; "..." keeps
 * blanks and takes \" and \\ as escapes; a backslash outside quotes escapes the next character. Quotes may
 * join with adjacent text (`--x="a b"` → `--x=a b`). An unterminated quote is an error.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inArg = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i]!;
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inArg = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i]!;
      inArg = true;
    } else if (/\s/.test(c)) {
      if (inArg) out.push(cur);
      cur = '';
      inArg = false;
    } else {
      cur += c;
      inArg = true;
    }
  }
  if (quote !== undefined) throw new Error(`unterminated ${quote === "'" ? 'single' : 'double'} quote`);
  if (inArg) out.push(cur);
  return out;
}

export interface InteractiveOptions {
  input: NodeJS.ReadableStream;
  output: { out(text: string): void; err(text: string): void };
  banner: string;
  /** Runs one command line; its exit code is not used (the session goes on). */
  run(args: string[]): Promise<number>;
}

/** Runs the prompt loop until exit/quit/end of input. */
export async function runInteractive(opts: InteractiveOptions): Promise<void> {
  opts.output.out(opts.banner);
  const terminal = (opts.input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input: opts.input, output: process.stdout, terminal, prompt: PROMPT });
  rl.on('SIGINT', () => {
    if (rl.line === '') rl.close();
    else {
      opts.output.out('\n');
      rl.prompt();
    }
  });
  // a terminal gets readline's prompt (it redraws it while editing); a pipe gets the plain text
  const prompt = terminal ? (): void => rl.prompt() : (): void => opts.output.out(PROMPT);
  let left = false;
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') {
      left = true;
      break;
    }
    if (line !== '') {
      let args: string[] | undefined;
      try {
        args = splitCommandLine(line);
      } catch (e) {
        opts.output.err(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      if (args !== undefined && args.length > 0) await opts.run(args);
    }
    prompt();
  }
  rl.close();
  if (!left) opts.output.out('\n');
}
