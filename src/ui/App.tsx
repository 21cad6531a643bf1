import React, { useEffect, useMemo, useState } from 'react';
import { Box, useInput, useStdout } from 'ink';
import type { Controller } from '../app/controller.js';
import { buildPalette, type PaletteIndex } from '../app/palette.js';
import type { AppState } from '../app/state.js';
import type { Fleet } from '../model/fleet.js';
import { hypervisorsOf, liveGuestsOf } from '../app/fleetSelectors.js';
import { useAppState } from './useStore.js';
import { makeTheme } from './theme.js';
import { handleKey, paletteResults } from './input.js';
import { Header } from './parts/Header.js';
import { Footer } from './parts/Footer.js';
import { AskBox, ConfirmBox, HelpBox, PaletteBox, QuitBox } from './parts/Overlays.js';
import { RackView } from './views/RackView.js';
import { MachinesView } from './views/MachinesView.js';
import { MachineView } from './views/MachineView.js';
import { VmsView } from './views/VmsView.js';
import { ExtraViews, type ExtraViewProps } from './views/extra.js';

function useSize(): { width: number; height: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState({ width: stdout.columns || 80, height: stdout.rows || 24 });
  useEffect(() => {
    const on = () => setSize({ width: stdout.columns || 80, height: stdout.rows || 24 });
    stdout.on('resize', on);
    return () => {
      stdout.off('resize', on);
    };
  }, [stdout]);
  return size;
}

/** Re-render once a second so ages and the drill clock move. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/**
 * After a probe round, while the operator reads the frame: work out the VMs view's rows (guests,
 * room if a host fails) and the palette's items, so the keypress that opens either does not pay
 * for 10,000 guests.
 */
function useWarmUp(fleet: Fleet, probes: AppState['probes'], palette: PaletteIndex): void {
  useEffect(() => {
    const t = setTimeout(() => {
      hypervisorsOf(fleet, probes);
      palette.search('');
    }, 50);
    return () => clearTimeout(t);
  }, [fleet, probes, palette]);
}

export function App({ controller }: { controller: Controller }) {
  const s = useAppState(controller.store);
  const { width, height } = useSize();
  const now = useNow();
  const theme = useMemo(() => makeTheme({ ascii: s.ascii || undefined }), [s.ascii]);
  // the palette's items and the live guests are worked out when the palette is first searched
  const palette = useMemo(() => buildPalette(s.fleet, () => liveGuestsOf(s.fleet, s.probes), s.readOnly), [s.fleet, s.probes, s.readOnly]);
  useWarmUp(s.fleet, s.probes, palette);
  // header 1 line, footer 2 lines (notice + key hints), one spare line so the terminal never scrolls
  const bodyH = Math.max(4, height - 4);
  useInput((input, key) => {
    const page = Math.max(1, bodyH - 3);
    // Typed-ahead or pasted text arrives as one chunk: feed it key by key.
    if (input.length > 1 && !key.ctrl && !key.meta && !key.escape) {
      for (const ch of input) handleKey(controller, palette, ch, { ...key, return: ch === '\r', tab: ch === '\t' }, page);
    } else handleKey(controller, palette, input, key, page);
  });
  const props = { s, theme, width, height: bodyH, now, refreshMs: controller.refreshMs };
  const extra = ExtraViews[s.view] as ((p: ExtraViewProps) => React.ReactElement) | undefined;
  return (
    <Box flexDirection="column" width={width} height={height - 1}>
      <Header s={s} theme={theme} width={width} now={now} />
      <Box height={bodyH} flexDirection="column">
        {s.ask ? (
          <AskBox s={s} width={width} />
        ) : s.palette ? (
          <PaletteBox s={s} results={paletteResults(s, palette)} width={width} />
        ) : s.help ? (
          <HelpBox s={s} width={width} height={bodyH} />
        ) : s.confirm ? (
          <ConfirmBox s={s} width={width} />
        ) : s.quitAsk ? (
          <QuitBox s={s} />
        ) : s.view === 'racks' ? (
          <RackView {...props} />
        ) : s.view === 'machines' ? (
          <MachinesView {...props} />
        ) : s.view === 'machine' ? (
          <MachineView {...props} />
        ) : s.view === 'vms' ? (
          <VmsView {...props} />
        ) : extra ? (
          extra({ ...props, controller })
        ) : null}
      </Box>
      <Footer s={s} width={width} />
    </Box>
  );
}
