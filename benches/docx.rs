//! How long the exporter takes: one ~6,000-字 material, and a 200-material 汇编.
//! `cargo bench --no-default-features --features documents --bench docx`;
//! figures in docs/BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use xingshen::domain::import::parse_text;
use xingshen::export::docx::{BookCover, BookEntry, book_docx, material_docx};

const DRAFT: &str = include_str!("material.txt");

fn render(c: &mut Criterion) {
    let material = parse_text(DRAFT);
    c.bench_function("material_docx (5,800 字)", |b| {
        b.iter(|| material_docx(black_box(&material)).unwrap())
    });

    let entries: Vec<BookEntry> = (1..=200)
        .map(|n| BookEntry {
            author: format!("党员{n}"),
            material: material.clone(),
        })
        .collect();
    let cover = BookCover {
        meeting: "2026年度组织生活会".into(),
        branch: "第一党支部".into(),
        date: "2026年1月15日".into(),
    };
    let mut group = c.benchmark_group("book");
    group.sample_size(10);
    group.bench_function("book_docx (200 materials)", |b| {
        b.iter(|| book_docx(black_box(&cover), black_box(&entries)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
