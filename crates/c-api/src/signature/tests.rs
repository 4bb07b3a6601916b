use super::{Param, Ret, Signature};
use mote::{FuncType, RefType, ValType};

fn externref() -> ValType {
    ValType::Ref(RefType {
        nullable: true,
        heap: mote::HeapType::Extern,
    })
}

#[test]
fn parses_every_character() {
    let sig = Signature::parse("(iIfFr*~$*)F").unwrap();
    use Param::*;
    assert_eq!(sig.params, [I32, I64, F32, F64, ExternRef, Buffer, Length, Str, Buffer]);
    assert_eq!(sig.result, Some(Ret::F64));
    assert_eq!(Signature::parse("()").unwrap().params, []);
}

#[test]
fn rejects_malformed_signatures() {
    for bad in ["", "ii", "(ii", "(x)", "(~)", "(i~)", "(i)ii", "(i)*"] {
        assert!(Signature::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn matches_import_types() {
    let ty = FuncType::new([ValType::I32, ValType::I32, ValType::I64, externref()], [ValType::F32]);
    assert!(Signature::parse("(*~Ir)f").unwrap().matches(&ty));
    assert!(Signature::parse("(iiIr)f").unwrap().matches(&ty));
    assert!(!Signature::parse("(iiIr)").unwrap().matches(&ty));
    assert!(!Signature::parse("(iIIr)f").unwrap().matches(&ty));
    assert_eq!(Signature::of_type(&ty), Some(Signature::parse("(iiIr)f").unwrap()));
    assert_eq!(Signature::of_type(&FuncType::new([ValType::V128], [])), None);
}
