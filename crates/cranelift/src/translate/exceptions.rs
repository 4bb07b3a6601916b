//! Exception handling: `throw`, `throw_ref` and `try_table`, without
//! unwinding through compiled frames.
//!
//! A thrown exception is an object of the runtime's heap (made by the
//! `gc` libcall's [`GcOp::Throw`]). The throwing function first looks for
//! a handler among its own open `try_table`s, innermost first, and
//! branches to the first matching catch clause. Without one, it stores the
//! exception in the store context, sets the trap cell to
//! `UncaughtException` and leaves: the exception then travels up exactly
//! like a trap, except at a call inside a `try_table`, which claims it
//! (clears the cell, takes the exception) and runs the same handler
//! search. Where traps return, every caller tests the cell after each
//! call and returns; where they are raised, the runtime resumes the
//! handler of the nearest call inside a `try_table` (a `try_call`, see
//! [`super::calls`]), or the innermost entry if there is none. An exception
//! that reaches the host is the `UncaughtException` trap of the call, as
//! in the interpreter.

use super::FuncTranslator;
use super::control::FrameKind;
use crate::Error;
use crate::vmctx::{GcOp, store_offsets};
use cranelift_codegen::ir::{BlockArg, InstBuilder, Value, condcodes::IntCC, types};
use mote_core::TrapCode;
use mote_environ::TypeIndex;
use wasmparser::{Catch, Operator as O};

/// One catch clause of an open `try_table`.
struct CatchClause {
    /// The module tag it catches; `None` for `catch_all`.
    tag: Option<u32>,
    /// Whether the branch also carries the exception reference.
    with_ref: bool,
    /// The control-stack index of the frame it branches to.
    frame: usize,
}

/// An open `try_table`, whose catch clauses apply to everything thrown
/// inside it.
pub(crate) struct HandlerScope {
    /// The control-stack index of the `try_table`'s own frame.
    frame: usize,
    catches: Vec<CatchClause>,
}

impl FuncTranslator<'_, '_> {
    /// Translates `throw`, `throw_ref` and `try_table`; `false` for other
    /// operators.
    pub(super) fn exception_op(&mut self, op: &O<'_>) -> Result<bool, Error> {
        match op {
            O::TryTable { try_table } => {
                self.control_op(&O::Block { blockty: try_table.ty })?;
                let frame = self.control.len() - 1;
                let mut catches = Vec::with_capacity(try_table.catches.len());
                for catch in &try_table.catches {
                    let (tag, label, with_ref) = match *catch {
                        Catch::One { tag, label } => (Some(tag), label, false),
                        Catch::OneRef { tag, label } => (Some(tag), label, true),
                        Catch::All { label } => (None, label, false),
                        Catch::AllRef { label } => (None, label, true),
                    };
                    // Labels are relative to the block around the try_table.
                    let target = frame
                        .checked_sub(label as usize + 1)
                        .ok_or_else(|| self.invalid("catch label out of range"))?;
                    // The interpreter starts a fuel region at every
                    // catch label, whether or not anything inside throws.
                    let label = &mut self.control[target];
                    if matches!(label.kind, FrameKind::Block | FrameKind::If(_) | FrameKind::Else) {
                        label.end_reachable = true;
                    }
                    catches.push(CatchClause {
                        tag,
                        with_ref,
                        frame: target,
                    });
                }
                self.handlers.push(HandlerScope { frame, catches });
            }
            O::Throw { tag_index } => {
                let ty = self.tag_type(*tag_index)?;
                let n = self.env.info.func_type(ty).params().len();
                let payload = self.pop_n(n)?;
                let (exn, _) = self.gc_call(GcOp::Throw, *tag_index, 0, &payload, 0);
                self.throw_exn(exn)?;
            }
            O::ThrowRef => {
                let exn = self.pop()?;
                let null = self.b.ins().icmp_imm_s(IntCC::Equal, exn, 0);
                self.trap_if(null, TrapCode::NullReference);
                self.throw_exn(exn)?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Forgets the handlers of `try_table`s whose frame has ended.
    pub(super) fn close_handlers(&mut self) {
        let open = self.control.len();
        self.handlers.retain(|h| h.frame < open);
    }

    fn tag_type(&self, tag: u32) -> Result<TypeIndex, Error> {
        self.env
            .info
            .tags
            .get(tag as usize)
            .copied()
            .ok_or_else(|| self.invalid("tag index out of range"))
    }

    /// After a call: leaves the function if the trap cell is set, unless
    /// the call is inside a `try_table` and the cell says an exception is
    /// being thrown; then that exception is taken and handled here.
    pub(crate) fn check_call_result(&mut self) -> Result<(), Error> {
        if self.handlers.is_empty() {
            self.check_trap_cell();
            return Ok(());
        }
        let flags = self.vm_flags();
        let code = self
            .b
            .ins()
            .load(types::I32, flags, self.store, store_offsets::TRAP_CODE);
        let set = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(set);
        self.b.ins().brif(code, set, &[], cont, &[]);

        self.enter_sealed(set);
        self.claim_or_leave(code)?;

        self.enter_sealed(cont);
        self.reachable = true;
        Ok(())
    }

    /// With the trap cell holding `code` after a call inside a
    /// `try_table`: claims a thrown exception (clears the cell, takes the
    /// exception) and runs the handler search, or leaves with the trap.
    /// The position becomes unreachable.
    pub(crate) fn claim_or_leave(&mut self, code: Value) -> Result<(), Error> {
        let flags = self.vm_flags();
        let thrown = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, code, TrapCode::UncaughtException as i64);
        let claim = self.b.create_block();
        self.b.set_cold_block(claim);
        let exit = self.trap_exit();
        self.b.ins().brif(thrown, claim, &[], exit, &[]);

        self.enter_sealed(claim);
        let zero = self.b.ins().iconst(types::I32, 0);
        self.b.ins().store(flags, zero, self.store, store_offsets::TRAP_CODE);
        let exn = self
            .b
            .ins()
            .load(types::I64, flags, self.store, store_offsets::EXCEPTION);
        self.throw_exn(exn)
    }

    /// Throws the non-null exception `exn` from here: branches to the
    /// first catch clause of the open `try_table`s (innermost first) that
    /// matches it, or passes it to the caller. The position becomes
    /// unreachable.
    fn throw_exn(&mut self, exn: Value) -> Result<(), Error> {
        let clauses: Vec<(Option<u32>, bool, usize)> = self
            .handlers
            .iter()
            .rev()
            .flat_map(|h| h.catches.iter().map(|c| (c.tag, c.with_ref, c.frame)))
            .collect();
        for (tag, with_ref, frame) in clauses {
            let mut values = Vec::new();
            let next = match tag {
                None => None,
                Some(tag) => {
                    let ty = self.env.info.func_type(self.tag_type(tag)?).clone();
                    let (matched, cells) = self.gc_call(GcOp::Catch, tag, 0, &[exn], u32::from(ty.param_cells()));
                    let caught = self.b.create_block();
                    let next = self.b.create_block();
                    self.b.ins().brif(matched, caught, &[], next, &[]);
                    self.enter_sealed(caught);
                    for (&p, offset) in ty.params().iter().zip(crate::abi::cell_offsets(ty.params())) {
                        let t = self.clif_type(p)?;
                        values.push(self.b.ins().load(t, crate::abi::cell_flags(), cells, offset));
                    }
                    Some(next)
                }
            };
            if with_ref {
                values.push(exn);
            }
            let depth = self.control.len() - 1 - frame;
            let (target, n) = self.branch_dest(depth as u32)?;
            if n != values.len() {
                return Err(self.invalid("catch clause does not match its label's types"));
            }
            let args: Vec<BlockArg> = values.iter().map(|&v| BlockArg::Value(v)).collect();
            self.b.ins().jump(target, &args);
            match next {
                Some(next) => self.enter_sealed(next),
                None => {
                    // A `catch_all` takes everything: later clauses never run.
                    self.reachable = false;
                    return Ok(());
                }
            }
        }
        let flags = self.vm_flags();
        self.b.ins().store(flags, exn, self.store, store_offsets::EXCEPTION);
        let code = self.b.ins().iconst(types::I32, TrapCode::UncaughtException as i64);
        self.b.ins().store(flags, code, self.store, store_offsets::TRAP_CODE);
        let exit = self.trap_exit();
        self.b.ins().jump(exit, &[]);
        self.reachable = false;
        Ok(())
    }
}
