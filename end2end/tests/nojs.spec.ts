import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, screenshots } from "./helpers";

// Runs in the "nojs" project: JavaScript is disabled, so every step is a plain form post.
test("login, a wrong password and logout all work without JavaScript", async ({ page }, testInfo) => {
  await page.goto("/login");
  await page.getByLabel("登录名").fill("liufang");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("登录名或密码不正确");

  await page.getByLabel("登录名").fill("liufang");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { name: "刘芳，您好" })).toBeVisible();
  await screenshots(page, "home-nojs", testInfo);

  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/account/password");
  await expect(page).toHaveURL(/\/login\?next=\/account\/password/);
});
