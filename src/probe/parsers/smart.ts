/** smartctl -H / -A text and -j JSON → SmartInfo. */
import type { SmartAttr, SmartInfo } from '../types.js';

export function parseSmartText(dev: string, text: string): SmartInfo {
  const info: SmartInfo = { dev, attrs: [] };
  const model = /^(?:Device Model|Model Number|Product):\s*(.+)$/m.exec(text);
  if (model) info.model = model[1].trim();
  const serial = /^Serial Number:\s*(.+)$/im.exec(text);
  if (serial) info.serial = serial[1].trim();
  const h = /SMART overall-health self-assessment test result:\s*(\S+)/.exec(text) ?? /SMART Health Status:\s*(\S+)/.exec(text);
  if (h) info.passed = h[1] === 'PASSED' || h[1] === 'OK';
  const start = text.search(/ID#\s+ATTRIBUTE_NAME/);
  if (start >= 0) {
    for (const line of text.slice(start).split('\n').slice(1)) {
      const m = /^\s*(\d+)\s+(\S+)\s+0x[0-9a-f]+\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+\S+\s+(\S+)\s+(\d+)/i.exec(line);
      if (!m) continue;
      info.attrs.push({ id: Number(m[1]), name: m[2], value: Number(m[3]), worst: Number(m[4]), thresh: Number(m[5]), whenFailed: m[6] === '-' ? undefined : m[6], raw: Number(m[7]) });
    }
  }
  const t = info.attrs.find((a) => a.id === 194 || a.id === 190);
  if (t) info.temperatureC = t.raw;
  const nvmeTemp = /^Temperature:\s*(\d+) Celsius/m.exec(text);
  if (nvmeTemp) info.temperatureC = Number(nvmeTemp[1]);
  return info;
}

interface SmartJson {
  device?: { name?: string };
  model_name?: string;
  serial_number?: string;
  smart_status?: { passed?: boolean };
  temperature?: { current?: number };
  ata_smart_attributes?: { table?: { id: number; name: string; value?: number; worst?: number; thresh?: number; when_failed?: string; raw?: { value?: number } }[] };
}

export function parseSmartJson(dev: string, text: string): SmartInfo {
  const j = JSON.parse(text) as SmartJson;
  const attrs: SmartAttr[] = (j.ata_smart_attributes?.table ?? []).map((a) => ({
    id: a.id, name: a.name, value: a.value, worst: a.worst, thresh: a.thresh, whenFailed: a.when_failed || undefined, raw: a.raw?.value ?? 0,
  }));
  return { dev: j.device?.name?.replace(/^\/dev\//, '') ?? dev, model: j.model_name, serial: j.serial_number, passed: j.smart_status?.passed, attrs, temperatureC: j.temperature?.current };
}

/** Attributes whose raw count > 0 means a dying disk (199 is usually a cable). */
export const CRITICAL_ATTRS = [5, 187, 188, 197, 198];
