// Drives the web workbench the way a person does: the Command Palette, quick picks, input boxes,
// notifications, editor tabs and webviews, through the keyboard and the page's DOM (playwright-core).
// Every wait has a deadline and says what it last saw, and leaves a screenshot when it gives up.
'use strict';

const fs = require('fs');
const path = require('path');

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .monaco-list-row`;
const TOASTS = '.notifications-toasts .notification-list-item';
const CONTEXT_MENU_ITEMS = '.context-view .monaco-menu .action-item:not(.disabled)';

class WorkbenchUi {
  /** `screenshotDir`: where a failed wait leaves its picture; `label` names this workbench in messages. */
  constructor(page, { screenshotDir, label }) {
    this.page = page;
    this.screenshotDir = screenshotDir;
    this.label = label;
    this.shots = 0;
  }

  /** Polls `probe` until it returns a truthy value; on timeout throws with `describe()`'s last answer. */
  async waitFor(what, probe, { timeoutMs = 30_000, describe } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    while (Date.now() < deadline) {
      try {
        const value = await probe();
        if (value) return value;
      } catch (e) {
        lastError = e;
      }
      await this.page.waitForTimeout(250);
    }
    let seen = '';
    try {
      seen = describe ? await describe() : '';
    } catch (e) {
      seen = `(could not describe: ${e.message})`;
    }
    const shot = await this.screenshot(what);
    throw new Error(
      `${this.label}: waited ${timeoutMs / 1000} s for ${what}` +
        (seen ? `; last saw: ${seen}` : '') +
        (lastError ? `; last error: ${lastError.message}` : '') +
        (shot ? `; screenshot: ${shot}` : ''),
    );
  }

  /** A picture of the page for a failure's message, or undefined when none could be taken. */
  async screenshot(name) {
    if (!this.screenshotDir) return undefined;
    try {
      return await this.picture(name);
    } catch {
      return undefined;
    }
  }

  /**
   * A picture of the page, or of `clip` (page pixels: x, y, width, height), in the screenshot folder; returns the
   * file. Throws when it cannot be taken: a picture someone will read is part of the run.
   */
  async picture(name, { clip } = {}) {
    fs.mkdirSync(this.screenshotDir, { recursive: true });
    const file = path.join(
      this.screenshotDir,
      `${this.label}-${++this.shots}-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`,
    );
    await this.page.screenshot({ path: file, clip });
    return file;
  }

  /**
   * The smallest rectangle holding the boxes of the elements matching `selectors` (those that are on the page and
   * drawn), grown by `margin` pixels and kept inside the viewport: a clip for `picture`.
   */
  async boxAround(selectors, margin = 0) {
    const boxes = [];
    for (const selector of selectors) {
      for (const element of await this.page.$$(selector)) {
        const box = await element.boundingBox();
        if (box && box.width > 0 && box.height > 0) boxes.push(box);
      }
    }
    if (boxes.length === 0) throw new Error(`none of ${selectors.join(', ')} is drawn`);
    const viewport = this.page.viewportSize();
    const left = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.x)) - margin));
    const top = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.y)) - margin));
    const right = Math.min(viewport.width, Math.ceil(Math.max(...boxes.map((b) => b.x + b.width)) + margin));
    const bottom = Math.min(viewport.height, Math.ceil(Math.max(...boxes.map((b) => b.y + b.height)) + margin));
    return { x: left, y: top, width: right - left, height: bottom - top };
  }

  /** The workbench is up and its extension host has started (the status bar is drawn). */
  async ready() {
    await this.waitFor('the workbench', () => this.page.$('.monaco-workbench .part.statusbar'), { timeoutMs: 60_000 });
    await this.waitFor(
      'the Explorer to list the workspace',
      () => this.page.$('.explorer-folders-view .monaco-list-row'),
      {
        timeoutMs: 60_000,
      },
    );
  }

  /** Texts of the visible notification toasts. */
  async toasts() {
    return this.page.$$eval(TOASTS, (items) => items.map((item) => item.textContent.replace(/\s+/g, ' ').trim()));
  }

  /** Waits for a toast whose text matches `pattern`; returns its text. */
  async waitForToast(pattern, timeoutMs = 30_000) {
    return this.waitFor(
      `a notification matching ${pattern}`,
      async () => (await this.toasts()).find((t) => pattern.test(t)),
      {
        timeoutMs,
        describe: async () => JSON.stringify(await this.toasts()),
      },
    );
  }

  async quickInputVisible() {
    return this.page.$eval(QUICK_INPUT, (el) => getComputedStyle(el).display !== 'none').catch(() => false);
  }

  /** Labels of the quick input's rows (aria-label: label, description and detail). */
  async quickInputRows() {
    return this.page.$$eval(QUICK_INPUT_ROWS, (rows) => rows.map((row) => row.getAttribute('aria-label') || ''));
  }

  /** The quick input's title and placeholder, for messages and checks. */
  async quickInputHeading() {
    return this.page
      .$eval(QUICK_INPUT, (el) => {
        const title = el.querySelector('.quick-input-title')?.textContent ?? '';
        const placeholder = el.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? '';
        return `${title} | ${placeholder}`.trim();
      })
      .catch(() => '');
  }

  async waitForQuickInput(what) {
    await this.waitFor(what, () => this.quickInputVisible(), {
      describe: async () => JSON.stringify(await this.toasts()),
    });
  }

  /**
   * Types into the open quick input, waits until the first row matches `rowPattern`, then accepts it with Enter.
   * The filter is typed again every few seconds: the palette does not refresh its rows for commands whose
   * extension finished loading after the filter was typed.
   */
  async pick(filterText, rowPattern) {
    await this.waitForQuickInput(`a quick pick to choose ${rowPattern}`);
    const input = this.page.locator(QUICK_INPUT_BOX);
    let typedAt = 0;
    await this.waitFor(
      `a row matching ${rowPattern} under "${filterText}"`,
      async () => {
        if (Date.now() - typedAt > 3000) {
          await input.fill('');
          await input.fill(filterText);
          typedAt = Date.now();
          await this.page.waitForTimeout(300);
        }
        const rows = await this.quickInputRows();
        return rows.length > 0 && rowPattern.test(rows[0]);
      },
      { describe: async () => `${await this.quickInputHeading()} rows ${JSON.stringify(await this.quickInputRows())}` },
    );
    await input.press('Enter');
  }

  /** Runs a command from the Command Palette by its title (as shown in the palette). */
  async runCommand(title) {
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    await this.pick(`>${title}`, new RegExp(escapeRegExp(title), 'i'));
  }

  /** Types into an input box the extension opened (its `title` matched by `titlePattern`) and accepts it. */
  async answerInputBox(titlePattern, value) {
    await this.waitFor(
      `an input box titled ${titlePattern}`,
      async () => (await this.quickInputVisible()) && titlePattern.test(await this.quickInputHeading()),
      { describe: () => this.quickInputHeading() },
    );
    const input = this.page.locator(QUICK_INPUT_BOX);
    await input.fill(value);
    await input.press('Enter');
  }

  async closeQuickInput() {
    if (await this.quickInputVisible()) await this.page.keyboard.press('Escape');
  }

  /** Opens a workspace file through Go to File (Ctrl+P) and waits for its editor tab to be active. */
  async openFile(name) {
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+P');
    await this.pick(name, new RegExp(escapeRegExp(name)));
    await this.waitFor(`the editor of ${name}`, () => this.activeTabIs(name), {
      describe: () => this.tabLabels().then(JSON.stringify),
    });
    // The editor takes the keyboard focus, so palette commands see `editorLangId`.
    await this.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  }

  async tabLabels() {
    return this.page.$$eval('.tabs-container .tab', (tabs) => tabs.map((t) => t.getAttribute('aria-label') || ''));
  }

  async activeTabIs(name) {
    return this.page
      .$$eval('.editor-group-container.active .tabs-container .tab.active', (tabs) =>
        tabs.map((t) => t.getAttribute('aria-label') || ''),
      )
      .then((labels) => labels.some((l) => l.startsWith(name)))
      .catch(() => false);
  }

  /** The innermost frame of a webview whose document has an element matching `selector`. */
  async findWebviewFrame(selector) {
    for (const frame of this.page.frames()) {
      if (frame === this.page.mainFrame()) continue;
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // a frame that is navigating or gone
      }
    }
    return undefined;
  }

  /**
   * Installs a .vsix the way a user does in the browser: Extensions: Install from VSIX..., the path typed into
   * the file dialog. Unlike the command line, this goes through the running server (which, for a language pack,
   * records it as a display language).
   */
  async installVsix(vsixPath) {
    await this.runCommand('Extensions: Install from VSIX...');
    await this.waitForQuickInput('the file dialog of Install from VSIX');
    const input = this.page.locator(QUICK_INPUT_BOX);
    // The dialog fills in its starting folder a moment after it opens: type the path only after that, and again
    // whenever the dialog is still open (it may have replaced the path, or Enter came before it was ready).
    await this.waitFor('the file dialog to show its starting folder', async () => (await input.inputValue()) !== '');
    let typedAt = 0;
    await this.waitFor(
      `the file dialog to take ${vsixPath}`,
      async () => {
        if (!(await this.quickInputVisible())) return true;
        if (Date.now() - typedAt > 2000) {
          await input.fill(vsixPath);
          await this.page.waitForTimeout(500);
          if ((await input.inputValue()) === vsixPath) await input.press('Enter');
          typedAt = Date.now();
        }
        return false;
      },
      { describe: async () => `${await this.quickInputHeading()} value ${await input.inputValue().catch(() => '')}` },
    );
    await this.waitForToast(/Completed installing extension/, 60_000);
  }

  /** Reloads the page (a new workbench session on the same server) and waits until it is ready again. */
  async reload() {
    await this.page.reload();
    await this.ready();
  }

  /** The display language the workbench runs in (what extensions see as vscode.env.language). */
  async displayLanguage() {
    return this.page.evaluate(() => globalThis._VSCODE_NLS_LANGUAGE || 'en');
  }

  /** The texts of the status bar's items, left to right. */
  async statusBarTexts() {
    return this.page.$$eval('.part.statusbar .statusbar-item', (items) =>
      items.map((item) => item.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean),
    );
  }

  /** The labels of the open context menu's items (empty when none is open); the workbench draws it in a shadow root. */
  async contextMenuItems() {
    return this.page
      .locator(CONTEXT_MENU_ITEMS)
      .evaluateAll((items) => items.map((item) => item.textContent.replace(/\s+/g, ' ').trim()))
      .catch(() => []);
  }

  /** The open context menu's item labelled `label` (a locator; it may not be there yet). */
  contextMenuItem(label) {
    return this.page
      .locator(CONTEXT_MENU_ITEMS)
      .filter({ has: this.page.locator('.action-label', { hasText: label }) });
  }

  /** All visible text of the workbench (not of webviews). */
  async visibleText() {
    return this.page.evaluate(() => document.body.innerText);
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = { WorkbenchUi };
