import { readFileSync } from "node:fs";
import { Page } from "@playwright/test";
import { expect, hydrated, login, openMaterial, replaceInitialPassword, screenshots, test, zipEntry } from "./helpers";

/** A material as members write it: aspects with 一是/二是, 比如 and 究其原因 inside each
 * problem, no 原因 part, measures without dates, 意见建议, closing 批评指正. */
const MATERIAL = readFileSync(`${__dirname}/../../tests/fixtures/materials/member_grouped_undated.txt`, "utf8");
const PASSWORD = "qing-shan-2026-lu";

async function logout(page: Page) {
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
}

test("a member hands in a grouped material with causes inside problems after adding dates in one list", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  // A new member of 第二党支部, with a password of her own.
  await login(page, "admin");
  await expect(page.getByRole("heading", { name: "王建国，您好" })).toBeVisible();
  await page.goto("/admin/users");
  await hydrated(page);
  await page.getByLabel("姓名").fill("周敏");
  await page.getByLabel("登录名/手机").fill("zhoumin");
  await page.getByLabel("职务").fill("科员");
  await page.getByLabel("所在支部").selectOption({ label: "第二党支部" });
  await page.getByRole("button", { name: "创建账号" }).click();
  const issued = page.locator("table.issued tr", { hasText: "zhoumin" }).locator(".secret");
  await expect(issued).toHaveText(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  const initial = (await issued.textContent())!;
  await logout(page);
  await replaceInitialPassword(page, "zhoumin", initial, PASSWORD);
  await page.goto("/");
  await hydrated(page);

  // She pastes her material as she wrote it.
  await openMaterial(page);
  await page.getByRole("link", { name: "导入已有材料" }).click();
  await hydrated(page);
  await page.getByLabel("粘贴材料文字").fill(MATERIAL);
  const result = page.getByRole("region", { name: "识别结果" });
  await expect(result).toContainText("识别出");
  await page.getByRole("button", { name: "导入并替换当前内容" }).click();
  await expect(page.getByRole("heading", { name: "标题与开头" })).toBeVisible();

  // The check asks only for the dates, all in one list, and says how measures were paired.
  const editor = page.url().replace(/\?.*$/, "");
  await page.goto(`${editor}?step=check`);
  await hydrated(page);
  await expect(page.getByRole("button", { name: "提交给支部书记" })).toBeDisabled();
  await expect(page.locator(".finding.error")).toHaveCount(6);
  await expect(page.getByText("整改措施是按顺序与问题对应的")).toBeVisible();
  const list = page.getByRole("region", { name: "补填整改时限" });
  await expect(list.locator("li.undated")).toHaveCount(6);
  await screenshots(page, "check-deadlines", testInfo);
  // A finding jumps to its field in the list.
  await page.locator(".finding.error a").first().click();
  await expect(page).toHaveURL(/step=check#deadline-/);
  const rows = list.locator("li.undated");
  await rows.nth(0).locator('input[type="date"]').fill("2027-06-30");
  await rows.nth(1).locator('input[type="date"]').fill("2027-03-31");
  for (const index of [2, 4]) await rows.nth(index).getByRole("checkbox", { name: "长期坚持" }).check();
  await rows.nth(3).locator('input[type="date"]').fill("2027-06-30");
  await rows.nth(5).locator('input[type="date"]').fill("2027-12-31");
  await list.getByRole("button", { name: "保存时限" }).click();
  await expect(page).toHaveURL(/step=check/);
  await hydrated(page);
  await expect(page.getByRole("region", { name: "补填整改时限" })).toHaveCount(0);
  await expect(page.locator(".finding.error")).toHaveCount(0);
  await page.getByRole("button", { name: "提交给支部书记" }).click();
  await expect(page.locator(".badge")).toHaveText("已提交");

  // The preview keeps her shape: aspects, 一是/二是, 究其原因, no 针对 marks invented.
  await page.goto(`${editor}/preview`);
  await hydrated(page);
  const paper = page.locator(".paper");
  await expect(paper).toContainText("在理论学习方面");
  await expect(paper).toContainText("究其原因，是对理论学习的极端重要性认识不足");
  await expect(paper).not.toContainText("针对第");
  await expect(paper.locator("p.doc-body", { hasText: "一是学习的系统性不够" })).toHaveCount(1);
  // Dates are not read aloud: they are in the 整改清单 attached after the signature.
  await expect(paper).not.toContainText("时限：");
  await expect(paper.locator(".doc-attachment-title")).toHaveText("整改清单");
  await expect(paper.locator("table.doc-table th")).toHaveText(["序号", "问题", "整改措施", "责任人", "完成时限", "完成标准"]);
  await expect(paper.locator("table.doc-table tbody tr")).toHaveCount(6);

  // The .docx she hands in carries every problem…
  const download = page.waitForEvent("download");
  await page.goto(editor);
  await hydrated(page);
  await page.getByRole("link", { name: "下载 Word" }).click();
  const file = await download;
  const document = zipEntry(readFileSync((await file.path())!), "word/document.xml");
  for (const words of ["学习的系统性不够", "服务群众不够主动", "工作作风不够扎实", "每月精读原著不少于2篇"]) {
    expect(document).toContain(words);
  }
  // …and the 整改清单 table with its heading row and the dates she added.
  expect(document).toContain("<w:tbl>");
  expect(document).toContain(">附件<");
  for (const heading of ["序号", "问题", "整改措施", "责任人", "完成时限", "完成标准"]) {
    expect(document).toContain(`>${heading}</w:t>`);
  }
  for (const date of ["2027年6月30日", "2027年3月31日", "长期坚持", "2027年12月31日"]) {
    expect(document).toContain(date);
  }
  expect(document).not.toContain("时限：");
  await logout(page);

  // The secretary sees it handed in, and reads it as written.
  await login(page, "shuji2");
  await expect(page.getByRole("heading", { name: /，您好/ })).toBeVisible();
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "组织生活会", exact: true }).click();
  await hydrated(page);
  await page.getByRole("link", { name: "2026年度组织生活会", exact: true }).click();
  await hydrated(page);
  const row = page.getByRole("row", { name: /周敏/ });
  await expect(row).toContainText("已提交");
  await row.getByRole("link", { name: "审核" }).click();
  await hydrated(page);
  await expect(page.locator(".paper")).toContainText("学用结合不够紧密");
  await page.getByLabel("审核通过").check();
  await page.getByRole("button", { name: "提交审核结论" }).click();
  await expect(page.getByRole("region", { name: "下一份待审材料" }).getByRole("status")).toHaveText(
    "已提交审核结论：审核通过。",
  );
});
