//! The whole-process side of the python-docx comparison: one process that reads
//! `benches/material.txt` and writes N official-format copies of it (default 100), as
//! `benches/python_docx_material.py` does. Run through `benches/compare_python_docx.sh`.

use std::time::Instant;
use xingshen::domain::import::parse_text;
use xingshen::export::docx::material_docx;

fn main() {
    let started = Instant::now();
    // `cargo bench` passes `--bench`; the only other argument is the number of copies.
    let copies: usize = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map(|arg| arg.parse().expect("the number of copies"))
        .unwrap_or(100);
    let out = std::env::temp_dir().join(format!("xingshen-copies-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let draft =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/material.txt"))
            .expect("benches/material.txt");
    let material = parse_text(&draft);
    for copy in 1..=copies {
        let bytes = material_docx(&material).unwrap();
        std::fs::write(out.join(format!("{copy}.docx")), bytes).unwrap();
    }
    std::fs::remove_dir_all(&out).unwrap();
    eprintln!(
        "rust docx-rs: {copies} copies in {:.1} ms (inside the process)",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
