//! A 417 on the form: which message goes on which field.
//!
//! The proxy's own 417 carries keyed detail (`fields`: path → code + params), worded per
//! language like the console's own checks. A 417 from upstream has only Laravel sentences
//! (Front Payment's English): each goes, verbatim, on the field core reads in it; a sentence
//! that names no known field goes to the error summary only.

use std::collections::BTreeMap;

use frontdesk_core::envelope::Errors;
use frontdesk_core::validate::{Issue, field_of_sentence};

/// A message on the form: core's issue (worded per language) or the server's own text.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorText {
    Issue(Issue),
    Server(String),
}

/// A 417's messages by dotted path; [`UNPLACED`] holds those for the summary only.
pub type Placed = BTreeMap<String, Vec<ErrorText>>;

/// The path of messages that name no field.
pub const UNPLACED: &str = "";

/// Place a 417: the keyed detail when the answer has any (the proxy's own refusal), else the
/// `errors` member as it came (sentences, or an older server's object keyed by path).
pub fn place(keyed: &[Issue], errors: Option<&Errors>) -> Placed {
    if !keyed.is_empty() {
        return keyed_issues(keyed);
    }
    match errors {
        None | Some(Errors::Null) => Placed::new(),
        Some(Errors::List(sentences)) => place_sentences(sentences),
        Some(Errors::Text(sentence)) => place_sentences(std::slice::from_ref(sentence)),
        Some(Errors::Fields(by_path)) => by_path
            .iter()
            .map(|(path, texts)| {
                let texts: Vec<ErrorText> = texts.iter().cloned().map(ErrorText::Server).collect();
                (path.clone(), texts)
            })
            .collect(),
        Some(other) => unplaced(other.messages()),
    }
}

/// Laravel sentences on the fields they name, verbatim; the rest for the summary.
pub fn place_sentences(sentences: &[String]) -> Placed {
    let mut placed = Placed::new();
    for sentence in sentences {
        let path = field_of_sentence(sentence).unwrap_or_default();
        placed
            .entry(path)
            .or_default()
            .push(ErrorText::Server(sentence.clone()));
    }
    placed
}

fn keyed_issues(keyed: &[Issue]) -> Placed {
    let mut placed = Placed::new();
    for issue in keyed {
        placed
            .entry(issue.field.clone())
            .or_default()
            .push(ErrorText::Issue(issue.clone()));
    }
    placed
}

fn unplaced(messages: Vec<String>) -> Placed {
    if messages.is_empty() {
        return Placed::new();
    }
    let texts: Vec<ErrorText> = messages.into_iter().map(ErrorText::Server).collect();
    Placed::from([(UNPLACED.to_owned(), texts)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::validate::{Code, Params};
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn server(s: &str) -> ErrorText {
        ErrorText::Server(s.to_owned())
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn sentences_land_on_their_fields_and_the_rest_in_the_summary() {
        let sentences = [
            "The customer details.address.city field is required.",
            "The products.0.tax field must be a number.",
            "The selected products.12.tax is invalid.",
            "The customer details.preferred language field is required.",
            "Something unrelated happened.",
        ]
        .map(str::to_owned);
        let placed = place_sentences(&sentences);
        assert_eq!(
            placed["customerDetails.address.city"],
            [server(&sentences[0])]
        );
        assert_eq!(placed["products.0.tax"], [server(&sentences[1])]);
        assert_eq!(placed["products.12.tax"], [server(&sentences[2])]);
        assert_eq!(
            placed["customerDetails.preferredLanguage"],
            [server(&sentences[3])]
        );
        assert_eq!(placed[UNPLACED], [server(&sentences[4])]);
        assert_eq!(placed.len(), 5);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn keyed_detail_wins_over_the_sentences() {
        let keyed = [Issue {
            field: "products.1.tax".into(),
            code: Code::In,
            params: Params {
                values: vec!["0".into(), "25".into()],
                ..Params::default()
            },
        }];
        let sentences = Errors::List(vec!["The selected products.1.tax is invalid.".into()]);
        let placed = place(&keyed, Some(&sentences));
        assert_eq!(
            placed["products.1.tax"],
            [ErrorText::Issue(keyed[0].clone())]
        );
        assert_eq!(placed.len(), 1);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn other_shapes_of_errors_still_show() {
        let object = Errors::from_value(json!({"orderDate": ["Not today."]}));
        assert_eq!(
            place(&[], Some(&object))["orderDate"],
            [server("Not today.")]
        );
        let text = Errors::Text("The order date does not match the format d M, Y.".into());
        assert_eq!(
            place(&[], Some(&text))["orderDate"],
            [server("The order date does not match the format d M, Y.")]
        );
        let raw = Errors::from_value(json!({"happenedAt": 1}));
        assert_eq!(place(&[], Some(&raw))[UNPLACED].len(), 1);
        assert!(place(&[], Some(&Errors::Null)).is_empty());
        assert!(place(&[], None).is_empty());
    }
}
