//! The row types redaction reads, and which of their fields, in the order they are masked.

use super::field::{Field, Table};
use crate::model::{ApiCall, Query, Reply, RoutingRow, Session, Source, ToolAuditRow, ToolCall};

/// A row type and the fields of it that redaction reads, in the order they are masked.
pub(super) trait Redactable: Clone {
    const TABLE: Table;
    fn source(&self) -> Source;
    /// Each redacted field's text (`None`: the field is absent).
    fn texts(&self, each: &mut dyn FnMut(Field, Option<&str>));
    fn set(&mut self, field: Field, text: String);
}

macro_rules! redactable {
    ($row:ty, $table:expr, $( $field:expr => $get:expr, $put:expr );+ $(;)?) => {
        impl Redactable for $row {
            const TABLE: Table = $table;
            fn source(&self) -> Source {
                self.source
            }
            fn texts(&self, each: &mut dyn FnMut(Field, Option<&str>)) {
                $( {
                    let get: for<'a> fn(&'a $row) -> Option<&'a str> = $get;
                    each($field, get(self));
                } )+
            }
            fn set(&mut self, field: Field, text: String) {
                $( if field == $field { ($put)(self, text); return; } )+
            }
        }
    };
}

redactable!(Session, Table::Sessions,
    Field::Workspace => |x| x.workspace.as_deref(), |x: &mut Session, v| x.workspace = Some(v);
    Field::GitBranch => |x| x.git_branch.as_deref(), |x: &mut Session, v| x.git_branch = Some(v);
    Field::GitRemote => |x| x.git_remote.as_deref(), |x: &mut Session, v| x.git_remote = Some(v));
redactable!(RoutingRow, Table::Routing,
    Field::RoutingCwd => |x| x.cwd.as_deref(), |x: &mut RoutingRow, v: String| x.cwd = Some(v.into()));
redactable!(ApiCall, Table::ApiCalls,
    Field::ApiError => |x| x.error.as_deref(), |x: &mut ApiCall, v| x.error = Some(v));
redactable!(Query, Table::Queries,
    Field::QueryText => |x| Some(x.text.as_str()), |x: &mut Query, v| x.text = v);
redactable!(Reply, Table::Replies,
    Field::ReplyPreview => |x| Some(x.preview.as_str()), |x: &mut Reply, v| x.preview = v);
redactable!(ToolCall, Table::ToolCalls,
    Field::ToolArgs => |x| Some(x.args_snippet.as_str()), |x: &mut ToolCall, v| x.args_snippet = v);
redactable!(ToolAuditRow, Table::ToolAudit,
    Field::AuditUser => |x| Some(x.user.as_str()), |x: &mut ToolAuditRow, v| x.user = v;
    Field::AuditArgs => |x| Some(x.args_snippet.as_str()), |x: &mut ToolAuditRow, v| x.args_snippet = v;
    Field::AuditResult => |x| Some(x.result_snippet.as_str()), |x: &mut ToolAuditRow, v| x.result_snippet = v);
