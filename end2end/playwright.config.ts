import { defineConfig, devices } from "@playwright/test";

// The server is started by `cargo xtask test`, which passes its address in BASE_URL.
// Chromium comes from Debian (CHROMIUM_PATH); Playwright never downloads a browser here.
const baseURL = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const launchOptions = {
  executablePath,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
  ],
};

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    headless: true,
    locale: "zh-CN",
    launchOptions,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], launchOptions },
      testIgnore: /nojs\.spec\.ts/,
    },
    {
      name: "nojs",
      use: { ...devices["Desktop Chrome"], launchOptions, javaScriptEnabled: false },
      testMatch: /nojs\.spec\.ts/,
    },
  ],
});
