//! WAMR's native signature strings, such as `"(i*~$)I"`: parsing, and
//! matching against the type of the import they are to satisfy.

use mote::{FuncType, HeapType, ValType};

/// How one wasm parameter reaches the native function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Param {
    /// `i`: an `i32`.
    I32,
    /// `I`: an `i64`.
    I64,
    /// `f`: an `f32`.
    F32,
    /// `F`: an `f64`.
    F64,
    /// `r`: an `externref`, as a `uintptr_t`.
    ExternRef,
    /// `*`: the app address of a buffer, checked and passed as a native
    /// pointer; its length is the next parameter if that is a `~`, else 1.
    Buffer,
    /// `~`: the `i32` length of the buffer before it.
    Length,
    /// `$`: the app address of a NUL-terminated string, checked and passed
    /// as a native pointer.
    Str,
}

/// The native function's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ret {
    I32,
    I64,
    F32,
    F64,
    ExternRef,
}

/// A parsed signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Signature {
    pub(crate) params: Vec<Param>,
    pub(crate) result: Option<Ret>,
}

impl Param {
    /// The wasm type this parameter has in the import.
    fn matches(self, ty: ValType) -> bool {
        match self {
            Param::I32 | Param::Buffer | Param::Length | Param::Str => ty == ValType::I32,
            Param::I64 => ty == ValType::I64,
            Param::F32 => ty == ValType::F32,
            Param::F64 => ty == ValType::F64,
            Param::ExternRef => is_externref(ty),
        }
    }
}

impl Ret {
    fn matches(self, ty: ValType) -> bool {
        match self {
            Ret::I32 => ty == ValType::I32,
            Ret::I64 => ty == ValType::I64,
            Ret::F32 => ty == ValType::F32,
            Ret::F64 => ty == ValType::F64,
            Ret::ExternRef => is_externref(ty),
        }
    }
}

/// Whether `ty` is `externref` (nullable, of the extern hierarchy's top).
pub(crate) fn is_externref(ty: ValType) -> bool {
    matches!(ty, ValType::Ref(r) if r.nullable && r.heap == HeapType::Extern)
}

impl Signature {
    /// Parses `"(params)result"`.
    ///
    /// # Errors
    /// A message saying what is malformed: a missing parenthesis, an
    /// unknown character, a `~` not right after a `*`, or more than one
    /// result.
    pub(crate) fn parse(text: &str) -> Result<Signature, String> {
        let inner = text
            .strip_prefix('(')
            .ok_or_else(|| format!("signature `{text}` does not start with `(`"))?;
        let (params_text, result_text) = inner
            .split_once(')')
            .ok_or_else(|| format!("signature `{text}` has no `)`"))?;
        let mut params = Vec::with_capacity(params_text.len());
        for c in params_text.chars() {
            let param = match c {
                'i' => Param::I32,
                'I' => Param::I64,
                'f' => Param::F32,
                'F' => Param::F64,
                'r' => Param::ExternRef,
                '*' => Param::Buffer,
                '$' => Param::Str,
                '~' if params.last() == Some(&Param::Buffer) => Param::Length,
                '~' => return Err(format!("signature `{text}`: `~` must follow `*`")),
                _ => return Err(format!("signature `{text}`: unknown parameter `{c}`")),
            };
            params.push(param);
        }
        let result = match result_text {
            "" => None,
            "i" => Some(Ret::I32),
            "I" => Some(Ret::I64),
            "f" => Some(Ret::F32),
            "F" => Some(Ret::F64),
            "r" => Some(Ret::ExternRef),
            _ => return Err(format!("signature `{text}`: invalid result `{result_text}`")),
        };
        Ok(Signature { params, result })
    }

    /// The signature that passes an import's values as they are, for
    /// natives registered without one; `None` if a type has no C form.
    pub(crate) fn of_type(ty: &FuncType) -> Option<Signature> {
        let param = |t: ValType| match t {
            ValType::I32 => Some(Param::I32),
            ValType::I64 => Some(Param::I64),
            ValType::F32 => Some(Param::F32),
            ValType::F64 => Some(Param::F64),
            t if is_externref(t) => Some(Param::ExternRef),
            _ => None,
        };
        let result = match ty.results() {
            [] => None,
            [ValType::I32] => Some(Ret::I32),
            [ValType::I64] => Some(Ret::I64),
            [ValType::F32] => Some(Ret::F32),
            [ValType::F64] => Some(Ret::F64),
            [t] if is_externref(*t) => Some(Ret::ExternRef),
            _ => return None,
        };
        Some(Signature {
            params: ty.params().iter().map(|&t| param(t)).collect::<Option<_>>()?,
            result,
        })
    }

    /// Whether a native of this signature can serve an import of type `ty`.
    pub(crate) fn matches(&self, ty: &FuncType) -> bool {
        let params_match =
            self.params.len() == ty.params().len() && self.params.iter().zip(ty.params()).all(|(p, &t)| p.matches(t));
        let result_matches = match (self.result, ty.results()) {
            (None, []) => true,
            (Some(r), [t]) => r.matches(*t),
            _ => false,
        };
        params_match && result_matches
    }
}

#[cfg(test)]
mod tests;
