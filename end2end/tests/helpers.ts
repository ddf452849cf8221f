import { expect, Page, TestInfo } from "@playwright/test";

export const DEMO_PASSWORD = "xingshen-demo";

/** Waits until the WebAssembly has hydrated the page (set by `hydrate()`). */
export async function hydrated(page: Page) {
  // Generous: on a loaded 2-core machine a debug build can take a while to start.
  try {
    await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1, { timeout: 30_000 });
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
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("登录名").fill(login);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
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
