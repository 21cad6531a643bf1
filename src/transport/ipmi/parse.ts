/** ipmitool output: `chassis power status`, `sel elist`, `sensor`. */
export interface SelEvent {
  id: number;
  date: string;
  time: string;
  sensor: string;
  event: string;
  direction: string;
}

export interface SensorReading {
  name: string;
  value: number | null;
  unit: string;
  status: string;
}

export function parsePowerStatus(text: string): 'on' | 'off' | 'unknown' {
  const m = /Chassis Power is (on|off)/i.exec(text);
  return m ? (m[1].toLowerCase() as 'on' | 'off') : 'unknown';
}

export function parseSelElist(text: string): SelEvent[] {
  const out: SelEvent[] = [];
  for (const line of text.split('\n')) {
    const p = line.split('|').map((x) => x.trim());
    if (p.length < 5 || !/^[0-9a-f]+$/i.test(p[0])) continue;
    out.push({ id: parseInt(p[0], 16), date: p[1], time: p[2], sensor: p[3], event: p[4], direction: p[5] ?? '' });
  }
  return out;
}

export function parseSensors(text: string): SensorReading[] {
  const out: SensorReading[] = [];
  for (const line of text.split('\n')) {
    const p = line.split('|').map((x) => x.trim());
    if (p.length < 4 || !p[0]) continue;
    const v = Number(p[1]);
    out.push({ name: p[0], value: p[1] === 'na' || !Number.isFinite(v) ? null : v, unit: p[2], status: p[3] });
  }
  return out;
}
