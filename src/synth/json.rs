//! A tiny JSON writer that keeps keys in the order they are written, as the agents write them
//! (`{"timestamp":…,"type":…,"payload":…}`), in one of two layouts: compact (`{"a":1,"b":2}`, what
//! the agents write) or spaced (`{"a": 1, "b": 2}`, Python's `json.dumps` default: the layout a
//! byte-pattern prefilter must not depend on, docs/toolchain.md). Strings are escaped by
//! serde_json, so any text round-trips.

/// An object being written; keys are emitted in call order.
pub struct Obj<'a> {
    out: &'a mut Vec<u8>,
    spaced: bool,
    first: bool,
}

/// An array being written.
pub struct Arr<'a> {
    out: &'a mut Vec<u8>,
    spaced: bool,
    first: bool,
}

/// Write one JSON object into `out`.
pub fn object(out: &mut Vec<u8>, spaced: bool, body: impl FnOnce(&mut Obj)) {
    let mut o = Obj::open(out, spaced);
    body(&mut o);
    o.close();
}

/// One JSON object as a `String` (for JSON carried inside a JSON string, like Codex `arguments`).
pub fn object_string(body: impl FnOnce(&mut Obj)) -> String {
    let mut out = Vec::new();
    object(&mut out, false, body);
    String::from_utf8(out).unwrap_or_default()
}

pub fn write_str(out: &mut Vec<u8>, s: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

fn write_f64(out: &mut Vec<u8>, v: f64) {
    let _ = serde_json::to_writer(&mut *out, &v);
}

fn separator(out: &mut Vec<u8>, spaced: bool, first: &mut bool) {
    if !*first {
        out.push(b',');
        if spaced {
            out.push(b' ');
        }
    }
    *first = false;
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut Vec<u8>, spaced: bool) -> Self {
        out.push(b'{');
        Self { out, spaced, first: true }
    }

    fn close(self) {
        self.out.push(b'}');
    }

    fn key(&mut self, k: &str) {
        separator(self.out, self.spaced, &mut self.first);
        write_str(self.out, k);
        self.out.push(b':');
        if self.spaced {
            self.out.push(b' ');
        }
    }

    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k);
        write_str(self.out, v);
        self
    }

    /// A string, or `null` when absent.
    pub fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        match v {
            Some(s) => self.str(k, s),
            None => self.null(k),
        }
    }

    pub fn int(&mut self, k: &str, v: i64) -> &mut Self {
        self.key(k);
        self.out.extend_from_slice(v.to_string().as_bytes());
        self
    }

    pub fn float(&mut self, k: &str, v: f64) -> &mut Self {
        self.key(k);
        write_f64(self.out, v);
        self
    }

    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k);
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
        self
    }

    pub fn null(&mut self, k: &str) -> &mut Self {
        self.key(k);
        self.out.extend_from_slice(b"null");
        self
    }

    pub fn obj(&mut self, k: &str, body: impl FnOnce(&mut Obj)) -> &mut Self {
        self.key(k);
        let mut o = Obj::open(self.out, self.spaced);
        body(&mut o);
        o.close();
        self
    }

    pub fn arr(&mut self, k: &str, body: impl FnOnce(&mut Arr)) -> &mut Self {
        self.key(k);
        let mut a = Arr::open(self.out, self.spaced);
        body(&mut a);
        a.close();
        self
    }

    /// An array of strings.
    pub fn strs(&mut self, k: &str, items: &[&str]) -> &mut Self {
        self.arr(k, |a| {
            for s in items {
                a.str(s);
            }
        })
    }
}

impl<'a> Arr<'a> {
    fn open(out: &'a mut Vec<u8>, spaced: bool) -> Self {
        out.push(b'[');
        Self { out, spaced, first: true }
    }

    fn close(self) {
        self.out.push(b']');
    }

    pub fn str(&mut self, v: &str) -> &mut Self {
        separator(self.out, self.spaced, &mut self.first);
        write_str(self.out, v);
        self
    }

    pub fn obj(&mut self, body: impl FnOnce(&mut Obj)) -> &mut Self {
        separator(self.out, self.spaced, &mut self.first);
        let mut o = Obj::open(self.out, self.spaced);
        body(&mut o);
        o.close();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_layouts() {
        let write = |spaced| {
            let mut out = Vec::new();
            object(&mut out, spaced, |o| {
                o.str("type", "a\"b\n").int("n", -3).float("f", 7.0).bool("ok", true).null("x");
                o.obj("p", |p| {
                    p.strs("cmd", &["ls", "-la"]);
                });
                o.arr("list", |a| {
                    a.obj(|o| {
                        o.int("i", 1);
                    });
                });
            });
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            write(false),
            r#"{"type":"a\"b\n","n":-3,"f":7.0,"ok":true,"x":null,"p":{"cmd":["ls","-la"]},"list":[{"i":1}]}"#
        );
        assert_eq!(
            write(true),
            r#"{"type": "a\"b\n", "n": -3, "f": 7.0, "ok": true, "x": null, "p": {"cmd": ["ls", "-la"]}, "list": [{"i": 1}]}"#
        );
        assert_eq!(object_string(|o| {
            o.str("k", "v");
        }), r#"{"k":"v"}"#);
    }
}
