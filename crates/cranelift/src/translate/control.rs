//! Structured control flow: blocks, loops, `if`/`else`, branches (incl.
//! `br_table`, `br_on_null`, `br_on_non_null`), `return`, `unreachable`,
//! `drop` and `select`.
//!
//! Each wasm block becomes a Cranelift block for its end (parameters: the
//! block's results); a loop also gets a header block (parameters: the
//! loop's parameters) that its branches target. Code after an
//! unconditional transfer is skipped until the enclosing `else` or `end`.

use super::FuncTranslator;
use crate::Error;
use cranelift_codegen::ir::{Block, BlockArg, InstBuilder, JumpTableData, Type, Value};
use mote_core::TrapCode;
use wasmparser::{BlockType, Operator};

/// What kind of construct a frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameKind {
    /// The function body itself.
    Function,
    /// `block`
    Block,
    /// `loop`; branches go to its header.
    Loop(Block),
    /// `if` whose `else` has not been seen: the false edge goes to this
    /// block, which takes the `if`'s parameters.
    If(Block),
    /// The `else` arm.
    Else,
}

/// An open control construct.
pub(crate) struct Frame {
    pub(crate) kind: FrameKind,
    /// Where control continues after `end`; takes `results`.
    pub(crate) end: Block,
    pub(crate) params: Vec<Type>,
    pub(crate) results: Vec<Type>,
    /// Operand stack height below the frame's parameters.
    pub(crate) height: usize,
    /// Whether some branch or arm reaches `end`.
    pub(crate) end_reachable: bool,
}

impl Frame {
    /// The frame of the whole body; its end block is the return.
    pub(crate) fn function(exit: Block, results: Vec<Type>) -> Frame {
        Frame {
            kind: FrameKind::Function,
            end: exit,
            params: Vec::new(),
            results,
            height: 0,
            end_reachable: false,
        }
    }

    /// The block a branch to this frame goes to, and how many values it takes.
    fn branch_target(&self) -> (Block, usize) {
        match self.kind {
            FrameKind::Loop(header) => (header, self.params.len()),
            _ => (self.end, self.results.len()),
        }
    }
}

fn block_args(values: &[Value]) -> Vec<BlockArg> {
    values.iter().map(|&v| BlockArg::Value(v)).collect()
}

impl FuncTranslator<'_, '_> {
    fn block_type(&self, ty: BlockType) -> Result<(Vec<Type>, Vec<Type>), Error> {
        let one = |t| crate::abi::clif_type_of(t).ok_or_else(|| self.unsupported(format!("block type {t:?}")));
        match ty {
            BlockType::Empty => Ok((Vec::new(), Vec::new())),
            BlockType::Type(t) => Ok((Vec::new(), vec![one(t)?])),
            BlockType::FuncType(i) => {
                let ft = self.env.info.func_type(mote_environ::TypeIndex(i));
                let params = ft
                    .params()
                    .iter()
                    .map(|&p| self.clif_type(p))
                    .collect::<Result<_, _>>()?;
                let results = ft
                    .results()
                    .iter()
                    .map(|&r| self.clif_type(r))
                    .collect::<Result<_, _>>()?;
                Ok((params, results))
            }
        }
    }

    fn block_with_params(&mut self, types: &[Type]) -> Block {
        let block = self.b.create_block();
        for &t in types {
            self.b.append_block_param(block, t);
        }
        block
    }

    /// Jumps to the frame `depth` levels up with the values it expects
    /// from the top of the stack (left in place).
    fn branch_to(&mut self, depth: u32) -> Result<(), Error> {
        let (target, n) = self.branch_dest(depth)?;
        let args = block_args(self.peek_n(n)?);
        self.b.ins().jump(target, &args);
        Ok(())
    }

    /// The target block of a branch `depth` levels up (marking the frame's
    /// end reachable) and its argument count.
    pub(super) fn branch_dest(&mut self, depth: u32) -> Result<(Block, usize), Error> {
        let i = self
            .control
            .len()
            .checked_sub(depth as usize + 1)
            .ok_or_else(|| self.invalid("branch depth out of range"))?;
        let frame = &mut self.control[i];
        if !matches!(frame.kind, FrameKind::Loop(_)) {
            frame.end_reachable = true;
        }
        Ok(frame.branch_target())
    }

    pub(super) fn control_op(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        match *op {
            Operator::Unreachable => self.trap(TrapCode::Unreachable),
            Operator::Nop => {}
            Operator::Drop => {
                self.pop()?;
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                let (x, y, c) = self.pop3()?;
                let v = self.b.ins().select(c, x, y);
                self.push(v);
            }
            Operator::Block { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                let end = self.block_with_params(&results);
                let height = self.stack.len() - params.len().min(self.stack.len());
                self.control.push(Frame {
                    kind: super::control::FrameKind::Block,
                    end,
                    params,
                    results,
                    height,
                    end_reachable: false,
                });
            }
            Operator::Loop { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                let header = self.block_with_params(&params);
                let end = self.block_with_params(&results);
                let args = self.pop_n(params.len())?;
                let height = self.stack.len();
                self.b.ins().jump(header, &block_args(&args));
                self.b.switch_to_block(header);
                let header_params = self.b.block_params(header).to_vec();
                self.stack.extend(header_params);
                self.control.push(Frame {
                    kind: FrameKind::Loop(header),
                    end,
                    params,
                    results,
                    height,
                    end_reachable: false,
                });
                self.open_fuel_region();
            }
            Operator::If { blockty } => {
                let cond = self.pop()?;
                let (params, results) = self.block_type(blockty)?;
                let then = self.b.create_block();
                let else_block = self.block_with_params(&params);
                let end = self.block_with_params(&results);
                let if_params = self.peek_n(params.len())?.to_vec();
                self.b.ins().brif(cond, then, &[], else_block, &block_args(&if_params));
                self.enter_sealed(then);
                let height = self.stack.len() - params.len();
                self.control.push(Frame {
                    kind: FrameKind::If(else_block),
                    end,
                    params,
                    results,
                    height,
                    end_reachable: false,
                });
                self.open_fuel_region();
            }
            Operator::Else => self.else_op()?,
            Operator::End => self.end_op()?,
            Operator::Br { relative_depth } => {
                self.branch_to(relative_depth)?;
                self.reachable = false;
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.pop()?;
                let (target, n) = self.branch_dest(relative_depth)?;
                let args = block_args(self.peek_n(n)?);
                let cont = self.b.create_block();
                self.b.ins().brif(cond, target, &args, cont, &[]);
                self.enter_sealed(cont);
                self.open_fuel_region();
            }
            Operator::BrTable { ref targets } => self.br_table(targets)?,
            Operator::BrOnNull { relative_depth } => {
                // Null: branch without the reference; else keep it.
                let r = self.pop()?;
                let (target, n) = self.branch_dest(relative_depth)?;
                let args = block_args(self.peek_n(n)?);
                let cont = self.b.create_block();
                self.b.ins().brif(r, cont, &[], target, &args);
                self.enter_sealed(cont);
                self.push(r);
                self.open_fuel_region();
            }
            Operator::BrOnNonNull { relative_depth } => {
                // Non-null: branch with the reference on top; else drop it.
                let (target, n) = self.branch_dest(relative_depth)?;
                let args = block_args(self.peek_n(n)?);
                let r = self.pop()?;
                let cont = self.b.create_block();
                self.b.ins().brif(r, target, &args, cont, &[]);
                self.enter_sealed(cont);
                self.open_fuel_region();
            }
            Operator::Return => {
                let depth = self.control.len() as u32 - 1;
                self.branch_to(depth)?;
                self.reachable = false;
            }
            _ => return Err(self.unsupported(format!("operator {op:?}"))),
        }
        Ok(())
    }

    fn br_table(&mut self, targets: &wasmparser::BrTable<'_>) -> Result<(), Error> {
        let index = self.pop()?;
        let depths = targets
            .targets()
            .collect::<Result<Vec<u32>, _>>()
            .map_err(|e| self.invalid(e))?;
        let default = targets.default();
        // Jump-table entries take no arguments, so targets that need
        // values get an edge block that jumps on with them, filled once
        // the `br_table` has ended the current block.
        let mut targets_of: Vec<(u32, Block)> = Vec::new();
        let mut edges: Vec<(Block, Block, usize)> = Vec::new();
        let mut table = Vec::with_capacity(depths.len());
        for d in core::iter::once(default).chain(depths) {
            let block = match targets_of.iter().find(|(depth, _)| *depth == d) {
                Some(&(_, b)) => b,
                None => {
                    let (target, n) = self.branch_dest(d)?;
                    let block = if n == 0 {
                        target
                    } else {
                        let edge = self.b.create_block();
                        edges.push((edge, target, n));
                        edge
                    };
                    targets_of.push((d, block));
                    block
                }
            };
            table.push(self.b.func.dfg.block_call(block, &[]));
        }
        let jt = self.b.create_jump_table(JumpTableData::new(table[0], &table[1..]));
        self.b.ins().br_table(index, jt);
        for (edge, target, n) in edges {
            self.enter_sealed(edge);
            let args = block_args(self.peek_n(n)?);
            self.b.ins().jump(target, &args);
        }
        self.reachable = false;
        Ok(())
    }

    fn else_op(&mut self) -> Result<(), Error> {
        let not_if = self.invalid("else without if");
        let Some(frame) = self.control.last_mut() else {
            return Err(not_if);
        };
        let FrameKind::If(else_block) = frame.kind else {
            return Err(not_if);
        };
        frame.kind = FrameKind::Else;
        let (end, n, height) = (frame.end, frame.results.len(), frame.height);
        if self.reachable {
            self.control.last_mut().expect("frame").end_reachable = true;
            let args = block_args(self.peek_n(n)?);
            self.b.ins().jump(end, &args);
        }
        self.stack.truncate(height);
        self.enter_sealed(else_block);
        let params = self.b.block_params(else_block).to_vec();
        self.stack.extend(params);
        self.reachable = true;
        self.open_fuel_region();
        Ok(())
    }

    fn end_op(&mut self) -> Result<(), Error> {
        let frame = self.control.pop().ok_or_else(|| self.invalid("end without block"))?;
        let n = frame.results.len();
        let mut end_reachable = frame.end_reachable;
        if self.reachable {
            let args = block_args(self.peek_n(n)?);
            self.b.ins().jump(frame.end, &args);
            end_reachable = true;
        }
        if let FrameKind::If(else_block) = frame.kind {
            // No `else`: the false edge carries the parameters through.
            self.enter_sealed(else_block);
            let params = self.b.block_params(else_block).to_vec();
            self.b.ins().jump(frame.end, &block_args(&params));
            end_reachable = true;
        }
        self.stack.truncate(frame.height);
        if let FrameKind::Loop(header) = frame.kind {
            self.b.seal_block(header);
        }
        if frame.kind == FrameKind::Function {
            if end_reachable {
                self.enter_sealed(frame.end);
                let values = self.b.block_params(frame.end).to_vec();
                self.emit_return(&values);
            }
            self.reachable = false;
            return Ok(());
        }
        // The code after an `end` is translated even when nothing reaches
        // it (its block then has no predecessors and Cranelift drops it):
        // the interpreter counts those operators into the fuel region that
        // continues there, and a new region starts only where something
        // branches to the label or an `if` has no `else`, so compiled code
        // must charge the same amounts at the same points.
        self.enter_sealed(frame.end);
        let results = self.b.block_params(frame.end).to_vec();
        self.stack.extend(results);
        self.reachable = true;
        if frame.end_reachable || matches!(frame.kind, FrameKind::If(_)) {
            self.open_fuel_region();
        }
        Ok(())
    }

    /// Skips an operator in unreachable code, keeping track of nesting so
    /// the matching `else`/`end` is found.
    pub(super) fn dead_operator(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } | Operator::TryTable { .. } => {
                self.dead_depth += 1
            }
            Operator::Else if self.dead_depth == 0 => self.else_op()?,
            Operator::End if self.dead_depth == 0 => self.end_op()?,
            Operator::End => self.dead_depth -= 1,
            _ => {}
        }
        Ok(())
    }
}
