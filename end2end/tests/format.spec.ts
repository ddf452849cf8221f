import { expect, hydrated, login, openMaterial, screenshots, test } from "./helpers";

test("a visitor formats a pasted draft without an account and downloads the Word file", async ({
  page,
}, testInfo) => {
  await page.goto("/format");
  await hydrated(page);
  await page
    .getByLabel("粘贴材料文字")
    .fill(
      "个人对照检查材料\n办公室 王芳\n一、存在的不足\n（一）学习不够深入。比如，今年只读了2本理论书籍。\n二、努力方向\n（一）每月读书1本。时限：长期坚持。\n以上发言，请批评指正。",
    );
  const result = page.getByRole("region", { name: "识别结果" });
  await expect(result).toContainText("识别出 2 个部分、2 个条目");
  await expect(result.locator(".paper h2").first()).toHaveText("一、存在的不足");
  // The measure reads as a sentence; its 时限 is in the 整改清单 table, not read aloud.
  await expect(result.locator(".paper")).toContainText("（一）每月读书1本。以上发言");
  await expect(result.locator(".paper")).not.toContainText("时限：");
  await expect(result.locator("table.doc-table tbody tr")).toHaveText([/1\s*学习不够深入\s*每月读书1本\s*长期坚持/]);
  await screenshots(page, "format", testInfo);

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "下载排版后的 Word" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("个人对照检查材料.docx");
});

test("the member downloads their own material as Word from the editor", async ({ page }) => {
  await login(page, "shuji1");
  await openMaterial(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载 Word" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("2026年度组织生活会个人发言材料.docx");
});

test("a member imports an existing draft into their material after seeing its structure", async ({ page }) => {
  // shuji1's material was started by the download test above; the import replaces it.
  await login(page, "shuji1");
  await openMaterial(page);
  await page.getByRole("link", { name: "导入已有材料" }).click();
  await hydrated(page);
  await page
    .getByLabel("粘贴材料文字")
    .fill("一、存在的问题\n（一）调查研究不够深入。比如，全年只下基层3次。\n二、整改措施\n（一）每季度下基层不少于2次。时限：长期坚持。");
  await expect(page.getByRole("region", { name: "识别结果" })).toContainText("识别出 2 个部分、2 个条目");
  await page.getByRole("button", { name: "导入并替换当前内容" }).click();
  await expect(page.getByRole("heading", { name: "标题与开头" })).toBeVisible();
  await page.getByRole("link", { name: "预览全文" }).click();
  await expect(page.locator(".paper")).toContainText("（一）调查研究不够深入。比如，全年只下基层3次。");
});
