//! Real-shaped materials (tests/fixtures/materials/*.txt) through the importer.
