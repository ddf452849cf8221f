import { Browser, BrowserContext, expect, Page, test as base, TestInfo } from "@playwright/test";
import { inflateRawSync } from "node:zlib";

export { expect };

export const DEMO_PASSWORD = "xingshen-demo";

/**
 * Console lines that are no fault of the page: the browser logs every answer with an error
 * status (a 404 page, a refused save) and every request a test aborts on purpose.
 */
const EXPECTED_CONSOLE_ERRORS = [/^Failed to load resource: /];

/**
 * Watches every page of every context a test opens and fails the test on an uncaught error
 * or an error printed to the console (a panic of the wasm prints one): a page that looks
 * right while its script died must not pass.
 */
function watchPages(browser: Browser, context: BrowserContext, problems: string[]) {
  const watchPage = (page: Page) => {
    page.on("pageerror", (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      if (EXPECTED_CONSOLE_ERRORS.some((pattern) => pattern.test(text))) return;
      problems.push(`console error on ${page.url()}: ${text}`);
    });
  };
  const watchContext = (watched: BrowserContext) => {
    watched.pages().forEach(watchPage);
    watched.on("page", watchPage);
  };
  watchContext(context);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser["newContext"]>) => {
    const created = await newContext(...args);
    watchContext(created);
    return created;
  };
  return () => {
    browser.newContext = newContext;
  };
}

/** Playwright's `test`, failing on any page error or console error (see `watchPages`). */
export const test = base.extend<{ pageProblems: string[] }>({
  pageProblems: [
    async ({ browser, context }, use) => {
      const problems: string[] = [];
      const unwatch = watchPages(browser, context, problems);
      await use(problems);
      unwatch();
      expect(problems, "errors in the page's script").toEqual([]);
    },
    { auto: true },
  ],
});

/** Waits until the WebAssembly has hydrated the page (set by `hydrate()`). */
export async function hydrated(page: Page) {
  // Generous: on a loaded 2-core machine a debug build can take a while to start.
  try {
    await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
    // Set by `hydrate()` unless the page's script watch saw an error first (app::SCRIPT_WATCH).
    await expect(page.locator("html")).toHaveAttribute("data-script", "ready");
  } catch (error) {
    // Say why: a hydration panic shows up in the console, a stuck page in its state.
    const messages = await page.consoleMessages({ filter: "since-navigation" });
    const errors = await page.pageErrors({ filter: "since-navigation" });
    const state = await page.evaluate(() => document.readyState).catch(() => "unknown");
    console.error(`not hydrated: ${page.url()} (document ${state})`);
    for (const message of messages) console.error(`  console.${message.type()}: ${message.text()}`);
    for (const pageError of errors) console.error(`  page error: ${pageError.message}`);
    throw error;
  }
}

export async function login(page: Page, login: string, password = DEMO_PASSWORD) {
  await loginWith(page, login, password);
}

async function loginWith(page: Page, login: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("登录名").fill(login);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/**
 * Logs in with an initial or reset password, which opens only the password page, and
 * replaces it with `chosen`; the person is then on the password page with every page open.
 */
export async function replaceInitialPassword(page: Page, login: string, initial: string, chosen: string) {
  await loginWith(page, login, initial);
  await expect(page).toHaveURL(/\/account\/password/);
  await expect(page.getByRole("alert").filter({ hasText: "初始密码" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("当前密码").fill(initial);
  await page.getByLabel("新密码", { exact: true }).fill(chosen);
  await page.getByLabel("再次输入新密码").fill(chosen);
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page.getByRole("status")).toContainText("密码已修改");
}

/** Saves a full-page screenshot at desktop and phone widths into screenshots/. */
export async function screenshots(page: Page, name: string, testInfo: TestInfo) {
  for (const [label, width, height] of [
    ["desktop", 1280, 800],
    ["phone", 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    const path = `screenshots/${name}-${label}.png`;
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${name}-${label}`, { path, contentType: "image/png" });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** From the home page, opens the logged-in member's material, starting it if needed. */
export async function openMaterial(page: Page) {
  await page.getByRole("link", { name: "我的材料", exact: true }).first().click();
  const start = page.getByRole("button", { name: "开始撰写发言材料" });
  const resume = page.getByRole("link", { name: "继续撰写" });
  await expect(start.or(resume)).toBeVisible();
  await start.or(resume).click();
  await expect(page).toHaveURL(/\/materials\/[^/?]+$/);
  await hydrated(page);
}

/** The text of one file inside a .docx (a zip), read with Node's own inflate. */
export function zipEntry(bytes: Buffer, name: string): string {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip file");
  let at = bytes.readUInt32LE(end + 16);
  for (let count = bytes.readUInt16LE(end + 10); count > 0; count--) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    if (bytes.toString("utf8", at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const data = bytes.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString("utf8");
    }
    at += 46 + skip;
  }
  throw new Error(`${name} is not in the zip file`);
}
