//! How the domain's coded enums are stored: as their code, a plain string. A row read back
//! with a value no enum knows is an error of the read (it reaches the caller as a
//! `StoreError` and is logged once where it becomes an `AppError`), never a silent default.

use crate::domain::Role;
use crate::domain::cycle::{
    CriticismMode, Grade, OpinionKind, SpeakerStatus, SurveyScope, VoterScope,
};
use crate::domain::evidence::EvidenceKind;
use crate::domain::ledger::{ItemStatus, MeasureKind};
use crate::domain::material::MaterialState;
use crate::domain::meeting::MeetingKind;
use crate::domain::review::Decision;
use surrealdb::types::{Error, Kind, SurrealValue, Value};

macro_rules! stored_as_code {
    ($($coded:ty),+ $(,)?) => {
        $(
            impl SurrealValue for $coded {
                fn kind_of() -> Kind {
                    Kind::String
                }

                fn into_value(self) -> Value {
                    Value::String(self.code().to_string())
                }

                fn from_value(value: Value) -> Result<Self, Error> {
                    let code = String::from_value(value)?;
                    <$coded>::from_code(&code).ok_or_else(|| {
                        Error::internal(format!(
                            "unknown stored {} «{code}»",
                            stringify!($coded)
                        ))
                    })
                }
            }
        )+
    };
}

stored_as_code!(
    MaterialState,
    MeetingKind,
    Decision,
    OpinionKind,
    SpeakerStatus,
    SurveyScope,
    CriticismMode,
    Grade,
    EvidenceKind,
    ItemStatus,
    MeasureKind,
    Role,
    VoterScope,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_round_trips_and_an_unknown_one_is_an_error() {
        for state in MaterialState::ALL {
            let stored = state.into_value();
            assert_eq!(stored, Value::String(state.code().to_string()));
            assert_eq!(MaterialState::from_value(stored).unwrap(), state);
        }
        let unknown = MaterialState::from_value(Value::String("已提交".into())).unwrap_err();
        assert!(unknown.to_string().contains("已提交"), "{unknown}");
        assert!(MeetingKind::from_value(Value::String("组织生活会".into())).is_err());
    }
}
