import * as assert from 'assert';
import packageJson from '../../package.json';
import { REGION_HOSTS, SETTING_DEFAULTS, SETTING_RANGES, clampSetting, type SettingName } from '../../src/core';

interface Contributed {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

/** package.json's settings by their name under `aistudios.`. */
function contributedSettings(): Map<string, Contributed> {
  const configuration = packageJson.contributes.configuration as
    { properties: Record<string, Contributed> } | { properties: Record<string, Contributed> }[];
  const sections = Array.isArray(configuration) ? configuration : [configuration];
  const settings = new Map<string, Contributed>();
  for (const section of sections)
    for (const [key, value] of Object.entries(section.properties)) {
      assert.ok(key.startsWith('aistudios.'), `${key} is under aistudios.`);
      settings.set(key.slice('aistudios.'.length), value);
    }
  return settings;
}

describe('settings defaults', () => {
  const contributed = contributedSettings();

  it('names the same settings as package.json', () => {
    assert.deepStrictEqual([...contributed.keys()].sort(), Object.keys(SETTING_DEFAULTS).sort());
  });

  it('has the defaults package.json declares', () => {
    for (const [name, setting] of contributed)
      assert.deepStrictEqual(SETTING_DEFAULTS[name as SettingName], setting.default, `aistudios.${name}`);
  });

  it('holds numbers to the minimum and maximum package.json declares', () => {
    for (const [name, range] of Object.entries(SETTING_RANGES)) {
      const setting = contributed.get(name);
      assert.ok(setting, `aistudios.${name} is contributed`);
      assert.strictEqual(setting.minimum, range.minimum, `aistudios.${name} minimum`);
      assert.strictEqual(setting.maximum, range.maximum, `aistudios.${name} maximum`);
    }
    for (const [name, setting] of contributed)
      if (setting.minimum !== undefined || setting.maximum !== undefined)
        assert.ok(name in SETTING_RANGES, `aistudios.${name} declares a range, so the code holds it to it`);
  });

  it('offers the regions the core knows, and defaults to one of the choices of each enum', () => {
    assert.deepStrictEqual(contributed.get('region')?.enum, Object.keys(REGION_HOSTS));
    for (const [name, setting] of contributed)
      if (setting.enum) assert.ok(setting.enum.includes(setting.default), `aistudios.${name} default is a choice`);
  });

  it('clamps into the range, and turns what is not a number into the minimum', () => {
    assert.strictEqual(clampSetting('concurrency', 0), 1);
    assert.strictEqual(clampSetting('concurrency', 9), 8);
    assert.strictEqual(clampSetting('concurrency', 5), 5);
    assert.strictEqual(clampSetting('requestTimeoutSeconds', Number.NaN), 5);
    assert.strictEqual(clampSetting('sectionPauseMilliseconds', Number.POSITIVE_INFINITY), 0);
  });
});
