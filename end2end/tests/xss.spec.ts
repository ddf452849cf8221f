import { Page } from "@playwright/test";
import { expect, hydrated, login, test } from "./helpers";

// Script-bearing text typed into fields shown on other people's pages: rendered as text on
// the server and after hydration, never run. Runs last (files go alphabetically), so the
// opinions it releases change nothing another journey relies on.

const IMG = `<img src=x onerror="window.__xss=1;alert('img')">`;
const SVG = `"><svg onload="window.__xss=2;alert('svg')">`;
const SCRIPT = `<script>window.__xss=3;alert('script')</script>`;
const LINK = `javascript:alert('link')`;
// Names are at most 32 characters.
const SHORT_SVG = `"><svg onload=alert('name')>`;
const PAYLOAD = `${IMG} ${SVG} ${SCRIPT} ${LINK}`;

/** Calls a server function as the logged-in page would, and returns its JSON answer. */
async function call(page: Page, fn: string, form: Record<string, string>) {
  const origin = new URL(page.url()).origin;
  const reply = await page.request.post(`/api/${fn}`, {
    form,
    headers: { Origin: origin, Accept: "application/json" },
  });
  expect(reply.ok(), `${fn}: ${await reply.text()}`).toBeTruthy();
  const text = await reply.text();
  return text ? JSON.parse(text) : null;
}

/** Opens a page, lets it hydrate, and checks the payload is shown as text and did nothing. */
async function inert(page: Page, path: string, shown: string) {
  await page.goto(path);
  await hydrated(page);
  // Folded lists (each person's opinions, the answers) are opened: the payload must be inert
  // where it is read, not only while hidden.
  await page.locator("details:not([open])").evaluateAll((folds) => folds.forEach((fold) => ((fold as HTMLDetailsElement).open = true)));
  await expect(page.getByText(shown, { exact: false }).first()).toBeVisible();
  expect(await page.locator('img[src="x"], svg[onload], a[href^="javascript:"]').count(), path).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), path).toBeUndefined();
}

test("script in names, notes, opinions and talks is shown as text and never runs", async ({ browser }) => {
  const dialogs: string[] = [];
  const person = async (loginName: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("dialog", async (dialog) => {
      dialogs.push(`${loginName}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    await login(page, loginName);
    await expect(page).toHaveURL(/\/$/);
    await hydrated(page);
    return page;
  };

  // The administrator names a branch and a person with it.
  const admin = await person("admin");
  await call(admin, "create_branch", { name: `支部${IMG}` });
  const branchList = await call(admin, "list_branches", {});
  const first = branchList.find((b: { name: string }) => b.name === "第一党支部").id;
  await call(admin, "create_user", {
    name: `某${SHORT_SVG}`,
    login: "xss-person",
    post: SCRIPT,
    role: "member",
    branch_id: first,
  });
  await inert(admin, "/admin/branches", IMG);
  await inert(admin, "/admin/users", SHORT_SVG);

  // The secretary writes it into the minutes and an opinion for 张明, and passes it on.
  const secretary = await person("shuji1");
  const branches = await call(secretary, "my_branch_meetings", {});
  const meeting: string = branches[0].meetings[0].id;
  const cycle = await call(secretary, "cycle_admin", { meeting_id: meeting });
  const id = (name: string) => cycle.people.find((p: { name: string }) => p.name === name).user_id;
  await call(secretary, "save_minutes_notes", { meeting_id: meeting, notes: PAYLOAD });
  await call(secretary, "curate_opinion", { meeting_id: meeting, recipient_id: id("张明"), text: PAYLOAD });
  await call(secretary, "release_opinions", { meeting_id: meeting, recipient_id: id("张明") });
  await inert(secretary, `/meetings/${meeting}/minutes`, IMG);
  await inert(secretary, `/meetings/${meeting}/opinions`, SCRIPT);

  // 张明 logs a talk with it, and reads the opinion on his meeting page.
  const member = await person("zhangming");
  await call(member, "log_talk", {
    meeting_id: meeting,
    partner_id: id("刘芳"),
    on: "2026-11-20",
    topics: PAYLOAD,
  });
  await inert(member, `/meetings/${meeting}`, LINK);

  expect(dialogs).toEqual([]);
});
