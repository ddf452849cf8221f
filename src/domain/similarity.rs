//! 雷同 check: how much of a material repeats another — a colleague's material in the same
//! meeting, or the author's own from an earlier one — with the matching passages side by
//! side. Pure.
//!
//! The text is cut into sentences and each sentence into overlapping five-character
//! shingles (punctuation and spaces dropped). A sentence of ours counts as repeated when at
//! least half of its shingles occur in the other material; the score is the share of our
//! written characters in repeated sentences. Sentences the template itself supplies
//! (guidance, examples) are left out, as is anything shorter than [`MIN_SENTENCE`]: a
//! shared heading or closing formula is not 雷同. So is the 上次整改落实情况 part: the app
//! fills it in from the ledger, and reporting on last time's measures is its purpose.

use super::material::{Material, PartKind};
use std::collections::{HashMap, HashSet};

/// Characters per shingle.
const SHINGLE: usize = 5;
/// Sentences shorter than this (in kept characters) are not compared.
pub const MIN_SENTENCE: usize = 12;
/// Share of a sentence's shingles found elsewhere for it to count as repeated.
const SENTENCE_OVERLAP: f64 = 0.5;
/// From this score on, the 材料体检 warns and the reviewer's list highlights the material.
pub const WARNING_SCORE: f64 = 0.3;

/// One of our sentences and the other material's sentence it repeats.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MatchedPassage {
    pub ours: String,
    pub theirs: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Similarity {
    /// 0.0 – 1.0: the share of our written characters that repeat the other material.
    pub score: f64,
    pub passages: Vec<MatchedPassage>,
}

impl Similarity {
    pub fn percent(&self) -> u32 {
        (self.score * 100.0).round() as u32
    }
}

/// The sentences a person wrote in the parts of a material (not the title, speaker line,
/// part headings, closing or date, which are shared by design, nor the 上次整改落实情况,
/// which restates last time's measures by design and starts as the app's own text).
pub fn written_sentences(material: &Material) -> Vec<String> {
    let mut pieces: Vec<&str> = material.preamble.iter().map(String::as_str).collect();
    for part in material
        .parts
        .iter()
        .filter(|part| part.kind != PartKind::Carryover)
    {
        pieces.extend(part.paragraphs.iter().map(String::as_str));
        for item in &part.items {
            pieces.push(&item.heading);
            pieces.push(&item.text);
            pieces.extend(item.example.as_deref());
            pieces.extend(item.cause.as_deref());
            pieces.extend(item.standard.as_deref());
        }
    }
    pieces
        .into_iter()
        .flat_map(|piece| piece.split(['。', '！', '？', '；', '\n', '!', '?', ';']))
        .map(str::trim)
        .filter(|sentence| kept_chars(sentence).len() >= MIN_SENTENCE)
        .map(str::to_string)
        .collect()
}

/// The characters that carry content: letters, digits and 汉字.
fn kept_chars(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Five kept characters. A text shorter than that is one shingle of its own, padded with
/// NUL, which no kept character is. Held inline: a check builds tens of thousands of them.
type Shingle = [char; SHINGLE];

fn shingles(text: &str) -> HashSet<Shingle> {
    let chars = kept_chars(text);
    if chars.len() < SHINGLE {
        let mut short = ['\0'; SHINGLE];
        short[..chars.len()].copy_from_slice(&chars);
        return HashSet::from([short]);
    }
    chars
        .windows(SHINGLE)
        .map(|window| window.try_into().expect("windows of SHINGLE"))
        .collect()
}

/// A material's sentences with an index from shingle to the sentences holding it.
struct Indexed {
    sentences: Vec<String>,
    by_shingle: HashMap<Shingle, Vec<usize>>,
}

impl Indexed {
    fn new(sentences: Vec<String>) -> Self {
        let mut by_shingle: HashMap<Shingle, Vec<usize>> = HashMap::new();
        for (index, sentence) in sentences.iter().enumerate() {
            for shingle in shingles(sentence) {
                by_shingle.entry(shingle).or_default().push(index);
            }
        }
        Self {
            sentences,
            by_shingle,
        }
    }

    /// The share of `shingles` found here, and the sentence holding most of them.
    fn best_match(&self, shingles: &HashSet<Shingle>) -> (f64, Option<usize>) {
        let mut found = 0;
        let mut per_sentence: HashMap<usize, usize> = HashMap::new();
        for shingle in shingles {
            if let Some(holders) = self.by_shingle.get(shingle) {
                found += 1;
                for &holder in holders {
                    *per_sentence.entry(holder).or_default() += 1;
                }
            }
        }
        let best = per_sentence
            .into_iter()
            .max_by_key(|&(index, count)| (count, std::cmp::Reverse(index)))
            .map(|(index, _)| index);
        (found as f64 / shingles.len().max(1) as f64, best)
    }
}

/// One of our sentences that counts: not the template's wording.
struct OwnSentence {
    text: String,
    shingles: HashSet<Shingle>,
    /// Kept characters: the sentence's weight in the score.
    length: usize,
}

/// Our side of the comparison, prepared once however many materials it is compared with.
struct Ours(Vec<OwnSentence>);

impl Ours {
    /// Our written sentences, leaving out those that repeat `common` (the template's own
    /// wording).
    fn new(material: &Material, common: &[String]) -> Self {
        let template = Indexed::new(common.to_vec());
        Self(
            written_sentences(material)
                .into_iter()
                .map(|text| OwnSentence {
                    shingles: shingles(&text),
                    length: kept_chars(&text).len(),
                    text,
                })
                .filter(|sentence| template.best_match(&sentence.shingles).0 < SENTENCE_OVERLAP)
                .collect(),
        )
    }

    fn against(&self, theirs: &Material) -> Similarity {
        let other = Indexed::new(written_sentences(theirs));
        let total: usize = self.0.iter().map(|sentence| sentence.length).sum();
        let mut repeated = 0usize;
        let mut passages = Vec::new();
        for sentence in &self.0 {
            let (overlap, best) = other.best_match(&sentence.shingles);
            if overlap >= SENTENCE_OVERLAP {
                repeated += sentence.length;
                passages.push(MatchedPassage {
                    theirs: best
                        .map(|index| other.sentences[index].clone())
                        .unwrap_or_default(),
                    ours: sentence.text.clone(),
                });
            }
        }
        Similarity {
            score: if total == 0 {
                0.0
            } else {
                repeated as f64 / total as f64
            },
            passages,
        }
    }
}

/// How much of `ours` repeats `theirs`, leaving out sentences that repeat `common` (the
/// template's own wording).
pub fn compare(ours: &Material, theirs: &Material, common: &[String]) -> Similarity {
    Ours::new(ours, common).against(theirs)
}

/// The most similar of `candidates` (by score), with its position.
pub fn most_similar<'a>(
    ours: &Material,
    candidates: impl IntoIterator<Item = &'a Material>,
    common: &[String],
) -> Option<(usize, Similarity)> {
    let ours = Ours::new(ours, common);
    candidates
        .into_iter()
        .map(|theirs| ours.against(theirs))
        .enumerate()
        .filter(|(_, similarity)| similarity.score > 0.0)
        .max_by(|a, b| a.1.score.total_cmp(&b.1.score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::parse_text;

    const MINE: &str = "发言材料\n一、存在的问题\n（一）学用结合不够紧密。学习停留在读原文记笔记，联系岗位实际思考不够深入。比如，今年3月起草调研报告时，对策只有2条。\n二、整改措施\n（一）加强学习。每月精读原著不少于2篇，撰写学习体会。时限：长期坚持。";

    #[test]
    fn a_copied_material_scores_high_and_shows_the_passages() {
        let mine = parse_text(MINE);
        let copy = parse_text(&MINE.replace("今年3月", "今年5月"));
        let similarity = compare(&mine, &copy, &[]);
        assert!(similarity.score > 0.9, "{similarity:?}");
        assert!(
            similarity
                .passages
                .iter()
                .any(|p| p.ours.contains("今年3月") && p.theirs.contains("今年5月")),
            "{similarity:?}"
        );
        assert_eq!(
            similarity.percent(),
            (similarity.score * 100.0).round() as u32
        );
    }

    #[test]
    fn different_materials_and_shared_formulas_score_nothing() {
        let mine = parse_text(MINE);
        let other = parse_text(
            "发言材料\n一、存在的问题\n（一）调查研究不够深入。全年只下基层三次，对群众急难愁盼问题掌握不全面。\n二、整改措施\n（一）改进作风。每季度到联系点蹲点调研一次，形成报告。时限：2026年6月30日。\n以上发言，请批评指正。",
        );
        assert_eq!(compare(&mine, &other, &[]).score, 0.0);
        // A sentence the template supplies is not held against anyone.
        let template = vec!["学习停留在读原文记笔记，联系岗位实际思考不够深入".to_string()];
        let echo = parse_text(
            "发言材料\n一、存在的问题\n（一）学习不深。学习停留在读原文记笔记，联系岗位实际思考不够深入。",
        );
        assert!(compare(&echo, &mine, &[]).score > 0.5);
        assert_eq!(compare(&echo, &mine, &template).score, 0.0);
    }

    #[test]
    fn the_most_similar_candidate_is_picked() {
        let mine = parse_text(MINE);
        let unrelated = parse_text(
            "发言材料\n一、存在的问题\n（一）调查研究不够深入。全年只下基层三次，对群众急难愁盼问题掌握不全面。",
        );
        let copy = parse_text(MINE);
        let (index, similarity) = most_similar(&mine, [&unrelated, &copy], &[]).unwrap();
        assert_eq!(index, 1);
        assert!((similarity.score - 1.0).abs() < 1e-9);
        assert!(most_similar(&mine, [&unrelated], &[]).is_none());
        assert!(written_sentences(&parse_text("发言材料\n以上发言，请批评指正。")).is_empty());
    }

    #[test]
    fn the_carried_over_report_on_last_times_measures_is_not_held_against_the_author() {
        use crate::domain::material::Part;
        let last_year = parse_text(MINE);
        // What the app pre-fills: last time's measures with where they stand.
        let mut this_year = parse_text("发言材料\n一、存在的问题\n二、整改措施");
        this_year.parts.insert(
            0,
            Part {
                kind: PartKind::Carryover,
                heading: "上次整改落实情况".into(),
                paragraphs: vec![
                    "上次提出的1项整改措施中，已完成整改销号0项，长期坚持1项，正在整改0项。".into(),
                    "每月精读原著不少于2篇，撰写学习体会：已取得阶段性成效，需长期坚持。".into(),
                ],
                items: vec![],
            },
        );
        assert!(written_sentences(&this_year).is_empty());
        assert_eq!(compare(&this_year, &last_year, &[]).score, 0.0);
        assert!(most_similar(&this_year, [&last_year], &[]).is_none());
    }
}
