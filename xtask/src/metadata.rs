//! What `cargo metadata` says about the workspace, read with a small JSON parser (std only).

use std::path::PathBuf;

use crate::cmd;

/// One workspace member.
pub struct Member {
    /// The package name (`billsync-core`).
    pub name: String,
    /// The resolved version (`0.1.0`).
    pub version: String,
    /// False when its manifest says `publish = false`.
    pub publishable: bool,
}

/// The workspace as cargo resolves it.
pub struct Workspace {
    /// Every member package.
    pub members: Vec<Member>,
    /// Where cargo writes build output (honours `CARGO_TARGET_DIR` and config).
    pub target_directory: PathBuf,
}

/// Runs `cargo metadata --no-deps` and reads the members and the target directory.
pub fn workspace() -> Result<Workspace, String> {
    let mut c = cmd::cargo();
    c.args(["metadata", "--no-deps", "--format-version", "1"]);
    let text = cmd::output(c)?;
    let json = Json::parse(&text).map_err(|e| format!("cargo metadata: {e}"))?;
    let target_directory = json
        .get("target_directory")
        .and_then(Json::as_str)
        .ok_or("cargo metadata: no target_directory")?
        .into();
    let packages = json
        .get("packages")
        .and_then(Json::as_array)
        .ok_or("cargo metadata: no packages")?;
    let mut members = Vec::new();
    for p in packages {
        let field = |key: &str| {
            p.get(key)
                .and_then(Json::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("cargo metadata: a package without `{key}`"))
        };
        // `publish` is null when publishable anywhere, a list of registries otherwise; `[]`
        // is how `publish = false` shows.
        let publishable = match p.get("publish") {
            Some(Json::Array(registries)) => !registries.is_empty(),
            _ => true,
        };
        members.push(Member {
            name: field("name")?,
            version: field("version")?,
            publishable,
        });
    }
    Ok(Workspace {
        members,
        target_directory,
    })
}

/// A JSON value.
#[derive(Debug)]
pub enum Json {
    /// `null`, `true`, `false` or a number: nothing here needs their value.
    Scalar,
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses a whole document.
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut p = Parser {
            bytes: text.as_bytes(),
            pos: 0,
        };
        let value = p.value()?;
        p.skip_ws();
        if p.pos != p.bytes.len() {
            return Err(format!("trailing characters at byte {}", p.pos));
        }
        Ok(value)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.pos)
    }

    fn eat(&mut self, b: u8) -> Result<(), String> {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", b as char)))
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("unexpected token"))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.skip_ws();
        match self.bytes.get(self.pos) {
            None => Err(self.error("unexpected end")),
            Some(b'n') => self.literal("null", Json::Scalar),
            Some(b't') => self.literal("true", Json::Scalar),
            Some(b'f') => self.literal("false", Json::Scalar),
            Some(b'"') => self.string().map(Json::String),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => return Err(self.error("expected `,` or `]`")),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut fields = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.skip_ws();
                    let key = self.string()?;
                    self.eat(b':')?;
                    fields.push((key, self.value()?));
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Json::Object(fields));
                        }
                        _ => return Err(self.error("expected `,` or `}`")),
                    }
                }
            }
            Some(_) => {
                let start = self.pos;
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
                {
                    self.pos += 1;
                }
                if start == self.pos {
                    return Err(self.error("unexpected character"));
                }
                Ok(Json::Scalar)
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.error("bad \\u escape"))?;
        self.pos += 4;
        Ok(digits)
    }

    fn string(&mut self) -> Result<String, String> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(self.error("expected a string"));
        }
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.error("unterminated string"));
            };
            self.pos += 1;
            match b {
                b'"' => {
                    return String::from_utf8(out).map_err(|_| self.error("invalid UTF-8"));
                }
                b'\\' => {
                    let Some(&e) = self.bytes.get(self.pos) else {
                        return Err(self.error("unterminated escape"));
                    };
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code)
                                && self.bytes[self.pos..].starts_with(b"\\u")
                            {
                                self.pos += 2;
                                let low = self.hex4()?;
                                code =
                                    0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00));
                            }
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        _ => return Err(self.error("bad escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => out.push(b),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Json;

    #[test]
    fn reads_what_cargo_metadata_writes() {
        let json = Json::parse(
            r#"{"packages":[{"name":"a\u00e9\"","publish":[],"n":-1.5e3},{"name":"b","publish":null}],
               "target_directory":"/t/x","ok":true}"#,
        )
        .unwrap();
        let packages = json.get("packages").and_then(Json::as_array).unwrap();
        assert_eq!(packages[0].get("name").and_then(Json::as_str), Some("aé\""));
        assert!(matches!(packages[0].get("publish"), Some(Json::Array(v)) if v.is_empty()));
        assert!(matches!(packages[1].get("publish"), Some(Json::Scalar)));
        assert_eq!(
            json.get("target_directory").and_then(Json::as_str),
            Some("/t/x")
        );
    }

    #[test]
    fn rejects_broken_documents() {
        assert!(Json::parse(r#"{"a":1"#).is_err());
        assert!(Json::parse(r#"{"a":1} x"#).is_err());
        assert!(Json::parse(r#"["unterminated]"#).is_err());
    }
}
