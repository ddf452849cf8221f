//! The 整改清单: the table a material is handed in with, one row per measure — which
//! problem it answers, the measure, its 责任人, 完成时限 and 完成标准. The document appends it
//! after the signature as an 附件 (GB/T 9704), so the speech itself does not read dates and
//! owners aloud; the importer reads it back, from a .docx or from a table pasted as text
//! (one line a row, cells separated by tabs), into the measures' fields.

use super::material::{Deadline, Item, ItemId, Material, Part, PartKind};
use super::outline::without_own_numbering;

/// The 附件 mark over the table.
pub const ATTACHMENT: &str = "附件";
/// The table's title.
pub const TITLE: &str = "整改清单";
/// The heading row.
pub const COLUMNS: [&str; 6] = ["序号", "问题", "整改措施", "责任人", "完成时限", "完成标准"];

/// A 时限 as the table writes it: "2026年6月30日" or "长期坚持".
pub fn deadline_cell(deadline: &Deadline) -> String {
    match deadline {
        Deadline::By(date) => super::meeting::chinese_date(*date),
        Deadline::Ongoing => Deadline::ONGOING.into(),
    }
}

/// Text as one cell: a cell is one line, so line breaks and tabs become spaces.
fn cell(text: &str) -> String {
    text.split(['\n', '\r', '\t'])
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A problem as the table names it: its headline without the author's own numbering.
fn problem_name(problem: &Item) -> String {
    let heading = without_own_numbering(&problem.heading)
        .trim()
        .trim_end_matches(['。', '；', ';', '，', ',']);
    if heading.is_empty() {
        problem.label(30)
    } else {
        heading.to_string()
    }
}

/// A measure as the table names it: its title, or its words when it has none.
fn measure_name(measure: &Item) -> String {
    let heading = without_own_numbering(&measure.heading).trim();
    if heading.is_empty() {
        measure.text.trim().to_string()
    } else {
        heading.to_string()
    }
}

/// The table's rows, one per measure in reading order (none when there are no measures).
pub fn rows(material: &Material) -> Vec<Vec<String>> {
    let problems: Vec<&Item> = material.items(PartKind::Problems).collect();
    material
        .items(PartKind::Measures)
        .enumerate()
        .map(|(index, measure)| {
            let answered: Vec<String> = problems
                .iter()
                .filter(|problem| measure.links.contains(&problem.id))
                .map(|problem| problem_name(problem))
                .collect();
            vec![
                (index + 1).to_string(),
                cell(&answered.join("；")),
                cell(&measure_name(measure)),
                cell(measure.owner.as_deref().unwrap_or_default()),
                measure
                    .deadline
                    .as_ref()
                    .map(deadline_cell)
                    .unwrap_or_default(),
                cell(measure.standard.as_deref().unwrap_or_default()),
            ]
        })
        .collect()
}

/// Which column of a table holds what, read from its heading row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Columns {
    pub number: Option<usize>,
    pub problem: Option<usize>,
    pub measure: Option<usize>,
    pub owner: Option<usize>,
    pub deadline: Option<usize>,
    pub standard: Option<usize>,
}

impl Columns {
    /// The columns of a heading row, when it is a 整改清单's: a measure column and at least
    /// one of 责任人 / 时限 / 标准 ("整改措施 | 责任领导 | 整改时限 | 整改目标" too).
    pub fn of_header<S: AsRef<str>>(cells: &[S]) -> Option<Self> {
        let mut columns = Self::default();
        for (index, raw) in cells.iter().enumerate() {
            let name: String = raw
                .as_ref()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if name.chars().count() > 8 {
                return None;
            }
            let has = |words: &[&str]| words.iter().any(|word| name.contains(word));
            let slot = if has(&["序号", "编号"]) {
                &mut columns.number
            } else if has(&["措施", "整改任务", "整改举措"]) {
                &mut columns.measure
            } else if has(&["责任"]) {
                &mut columns.owner
            } else if has(&["时限", "时间", "期限"]) {
                &mut columns.deadline
            } else if has(&["标准", "目标", "成效"]) {
                &mut columns.standard
            } else if has(&["问题"]) {
                &mut columns.problem
            } else {
                continue;
            };
            slot.get_or_insert(index);
        }
        (columns.measure.is_some()
            && (columns.owner.is_some()
                || columns.deadline.is_some()
                || columns.standard.is_some()))
        .then_some(columns)
    }
}

/// A 整改清单 as read: its columns and its rows of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub columns: Columns,
    pub rows: Vec<Vec<String>>,
}

fn cells(line: &str) -> Vec<String> {
    line.split('\t').map(|c| c.trim().to_string()).collect()
}

/// Takes the last 整改清单 out of a draft's lines: its heading row and the rows after it
/// (lines with tabs), with the "整改清单" title and "附件" mark over it. The lines after the
/// table stay where they were.
pub fn take(lines: &mut Vec<String>) -> Option<Table> {
    let header = lines
        .iter()
        .rposition(|line| line.contains('\t') && Columns::of_header(&cells(line)).is_some())?;
    let columns = Columns::of_header(&cells(&lines[header]))?;
    let end = lines[header + 1..]
        .iter()
        .position(|line| !line.contains('\t'))
        .map_or(lines.len(), |offset| header + 1 + offset);
    let rows: Vec<Vec<String>> = lines[header + 1..end]
        .iter()
        .map(|line| cells(line))
        .filter(|row| row.iter().any(|cell| !cell.is_empty()))
        .collect();
    lines.drain(header..end);
    let short = |line: &str, max: usize| {
        let line = line.trim();
        line.chars().count() <= max && !line.contains(['。', '，', '；'])
    };
    let mut start = header;
    // Blank lines between the title and the table (a pasted text keeps them).
    while start > 0 && lines[start - 1].trim().is_empty() {
        start -= 1;
    }
    if start > 0 && short(&lines[start - 1], 30) && lines[start - 1].contains(TITLE) {
        start -= 1;
        while start > 0 && lines[start - 1].trim().is_empty() {
            start -= 1;
        }
        let mark = lines.get(start.wrapping_sub(1)).map(|line| line.trim());
        if start > 0 && mark.is_some_and(|mark| mark.starts_with(ATTACHMENT) && short(mark, 8)) {
            start -= 1;
        }
        lines.drain(start..header);
    }
    Some(Table { columns, rows })
}

/// Whether a measure is the one a row names (its title or words hold the row's measure).
fn names_measure(measure: &Item, named: &str) -> bool {
    let named = named.trim().trim_end_matches(['。', '；', ';', '，', ',']);
    let heading = without_own_numbering(&measure.heading)
        .trim()
        .trim_end_matches(['。', '；', ';', '，', ',']);
    !named.is_empty()
        && (measure.heading.contains(named)
            || measure.text.contains(named)
            || (!heading.is_empty() && named.contains(heading)))
}

/// Gives the measures what the table lists for them. Rows pair with measures by order when
/// there are as many of each, otherwise by the measure they name; a field the measure
/// already has stays, and a different value in the table is added to it rather than lost.
/// A row no measure answers becomes a measure of its own (linked to the problem it names),
/// so nothing of the table is dropped. `read_deadline` reads a 时限 cell.
pub fn apply(
    material: &mut Material,
    table: &Table,
    read_deadline: impl Fn(&str) -> Option<Deadline>,
) {
    let at = |row: &[String], column: Option<usize>| -> String {
        column
            .and_then(|column| row.get(column))
            .map(|cell| cell.trim().to_string())
            .unwrap_or_default()
    };
    let count = material.items(PartKind::Measures).count();
    let in_order = count == table.rows.len();
    let mut taken = vec![false; count];
    let mut unmatched = Vec::new();
    for row in &table.rows {
        let measure_cell = at(row, table.columns.measure);
        let target = if in_order {
            taken.iter().position(|taken| !taken)
        } else {
            material
                .items(PartKind::Measures)
                .enumerate()
                .position(|(index, measure)| !taken[index] && names_measure(measure, &measure_cell))
        };
        let Some(target) = target else {
            unmatched.push(row);
            continue;
        };
        taken[target] = true;
        let Some(measure) = material
            .parts
            .iter_mut()
            .filter(|part| part.kind == PartKind::Measures)
            .flat_map(|part| part.items.iter_mut())
            .nth(target)
        else {
            continue;
        };
        fill(
            measure,
            &at(row, table.columns.owner),
            &at(row, table.columns.deadline),
            &at(row, table.columns.standard),
            &read_deadline,
        );
    }
    if unmatched.is_empty() {
        return;
    }
    let problems: Vec<(ItemId, String)> = material
        .items(PartKind::Problems)
        .map(|problem| (problem.id.clone(), problem_name(problem)))
        .collect();
    let mut next = count;
    let mut added = Vec::new();
    for row in unmatched {
        next += 1;
        let problem_cell = at(row, table.columns.problem);
        let mut measure = Item {
            id: ItemId(format!("m{next}")),
            text: at(row, table.columns.measure),
            ..Item::default()
        };
        let named: Vec<ItemId> = problem_cell
            .split('；')
            .filter_map(|name| {
                let name = name.trim();
                problems
                    .iter()
                    .find(|(_, heading)| !name.is_empty() && heading == name)
                    .map(|(id, _)| id.clone())
            })
            .collect();
        if named.is_empty() && !problem_cell.is_empty() {
            // The problem it answers is not one of the material's: its words stay with it.
            measure.heading = problem_cell;
        } else {
            measure.links = named;
        }
        fill(
            &mut measure,
            &at(row, table.columns.owner),
            &at(row, table.columns.deadline),
            &at(row, table.columns.standard),
            &read_deadline,
        );
        added.push(measure);
    }
    match material
        .parts
        .iter_mut()
        .rfind(|part| part.kind == PartKind::Measures)
    {
        Some(part) => part.items.extend(added),
        None => material.parts.push(Part {
            kind: PartKind::Measures,
            heading: PartKind::Measures.label().into(),
            paragraphs: vec![],
            items: added,
        }),
    }
}

fn fill(
    measure: &mut Item,
    owner: &str,
    deadline: &str,
    standard: &str,
    read_deadline: &impl Fn(&str) -> Option<Deadline>,
) {
    let add = |field: &mut Option<String>, value: &str| {
        if value.is_empty() {
            return;
        }
        match field {
            Some(existing) if existing.contains(value) => {}
            Some(existing) => {
                existing.push('；');
                existing.push_str(value);
            }
            None => *field = Some(value.to_string()),
        }
    };
    add(&mut measure.owner, owner);
    add(&mut measure.standard, standard);
    if deadline.is_empty() {
        return;
    }
    match read_deadline(deadline) {
        Some(read) if measure.deadline.is_none() => measure.deadline = Some(read),
        Some(read) if measure.deadline == Some(read) => {}
        // A 时限 that is no date, or another than the measure's: its words are kept.
        _ => {
            let words = format!("完成时限：{deadline}。");
            if !measure.text.is_empty() {
                measure.text.push('\n');
            }
            measure.text.push_str(&words);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::tests::{item, linked, material, part};

    fn june() -> Deadline {
        Deadline::By(chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap())
    }

    fn sample() -> Material {
        let mut first = linked(item("m1", "加强理论学习"), &["p1"]);
        first.text = "每月精读原著2篇。".into();
        first.deadline = Some(june());
        first.owner = Some("张明".into());
        first.standard = Some("形成读书笔记12篇".into());
        let mut second = linked(item("m2", ""), &["p1", "p2"]);
        second.text = "每季度下基层调研\n不少于2次。".into();
        second.deadline = Some(Deadline::Ongoing);
        material(vec![
            part(
                PartKind::Problems,
                vec![item("p1", "一是学习不深。"), item("p2", "调研偏少")],
            ),
            part(PartKind::Measures, vec![first, second]),
        ])
    }

    #[test]
    fn each_measure_is_a_row_with_its_problem_owner_deadline_and_standard() {
        assert_eq!(
            rows(&sample()),
            vec![
                vec![
                    "1",
                    "学习不深",
                    "加强理论学习",
                    "张明",
                    "2026年6月30日",
                    "形成读书笔记12篇"
                ],
                vec![
                    "2",
                    "学习不深；调研偏少",
                    "每季度下基层调研 不少于2次。",
                    "",
                    "长期坚持",
                    ""
                ],
            ]
        );
        assert!(rows(&material(vec![])).is_empty());
    }

    #[test]
    fn a_pasted_table_gives_the_measures_their_owner_deadline_and_standard() {
        let mut blank = sample();
        for measure in blank.parts[1].items.iter_mut() {
            measure.owner = None;
            measure.deadline = None;
            measure.standard = None;
        }
        let mut lines: Vec<String> = [
            "以上发言，请批评指正。",
            "附件",
            "整改清单",
            "序号\t问题\t整改措施\t责任人\t完成时限\t完成标准",
            "1\t学习不深\t加强理论学习\t张明\t2026年6月30日\t形成读书笔记12篇",
            "2\t学习不深；调研偏少\t每季度下基层调研\t\t长期坚持",
            "这一行在表格之后",
        ]
        .map(String::from)
        .to_vec();
        let table = take(&mut lines).unwrap();
        assert_eq!(lines, ["以上发言，请批评指正。", "这一行在表格之后"]);
        apply(&mut blank, &table, |cell| Deadline::parse(cell).ok());
        assert_eq!(blank, sample());
    }

    #[test]
    fn rows_without_a_measure_become_measures_and_unreadable_dates_are_kept_as_words() {
        let mut m = material(vec![part(PartKind::Problems, vec![item("p1", "学习不深")])]);
        let table = Table {
            columns: Columns::of_header(&["序号", "存在问题", "整改措施", "责任领导", "整改时限"])
                .unwrap(),
            rows: vec![vec![
                "1".into(),
                "学习不深".into(),
                "每月读书1本".into(),
                "王强".into(),
                "尽快".into(),
            ]],
        };
        apply(&mut m, &table, |cell| Deadline::parse(cell).ok());
        let measure = m.items(PartKind::Measures).next().unwrap();
        assert_eq!(measure.links, vec![ItemId("p1".into())]);
        assert_eq!(measure.owner.as_deref(), Some("王强"));
        assert_eq!(measure.deadline, None);
        assert_eq!(measure.text, "每月读书1本\n完成时限：尽快。");
    }

    #[test]
    fn only_a_heading_row_with_measures_and_their_schedule_is_a_rectification_table() {
        assert!(Columns::of_header(&COLUMNS).is_some());
        assert!(Columns::of_header(&["姓名", "职务", "时间"]).is_none());
        assert!(Columns::of_header(&["整改措施", "说明"]).is_none());
        let mut lines = vec!["姓名\t职务".to_string(), "张明\t科员".into()];
        assert_eq!(take(&mut lines), None);
        assert_eq!(lines.len(), 2);
    }
}
