/**
 * The caller's side of the contract with a real Ink app: unmount on suspend, render again on resume,
 * and keys go to the shell in between and to Ink again afterwards.
 */
import { createElement, useState } from 'react';
import { render, Text, useInput } from 'ink';
import { describe, expect, it } from 'vitest';
import { handOff } from '../../../src/app/handoff.js';
import { FakePty } from './fakePty.js';
import { FakeStdin, FakeStdout, waitFor } from './streams.js';

class TtyStdin extends FakeStdin {
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

function Keys(props: { seen: string[] }) {
  const [last, setLast] = useState('none');
  useInput((input) => {
    props.seen.push(input);
    setLast(input);
  });
  return createElement(Text, null, `last key: ${last}`);
}

describe('with a real Ink app', () => {
  it('unmount/render around handOff: keys reach the shell during the session and Ink after it', async () => {
    const stdin = new TtyStdin(true);
    const stdout = new FakeStdout();
    const seen: string[] = [];
    const opts = { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, exitOnCtrlC: false, patchConsole: false };
    let app = render(createElement(Keys, { seen }), opts);
    await stdin.type('a');
    await waitFor(() => seen.includes('a'), 'Ink to see a');
    expect(stdin.isRaw).toBe(true);

    let pty: FakePty | undefined;
    const done = handOff({
      open: async (size) => (pty = new FakePty('ella', size)),
      stdin,
      stdout,
      banner: 'baie: shell on ella — ~. or Ctrl-] returns to baie',
      onSuspend: () => app.unmount(),
      onResume: () => {
        app = render(createElement(Keys, { seen }), opts);
      },
    });
    await waitFor(() => stdout.text.includes('root@ella:~# '), 'the prompt');
    await stdin.type('hostname\r');
    await waitFor(() => stdout.text.includes('hostname\r\nella\r\n'), 'hostname');
    await stdin.type('~.');
    await done;
    expect(pty!.received).toBe('hostname\r');
    expect(seen).toEqual(['a']); // Ink saw nothing typed into the shell

    await stdin.type('b');
    await waitFor(() => seen.includes('b'), 'Ink to see b after the session');
    expect(stdin.isRaw).toBe(true);
    app.unmount();
  });
});
