//! The common case of a message template, filled without the template engine's general
//! machinery.
//!
//! A campaign fills one template for thousands of customers. The engine converts each
//! customer's [`MessageData`] into its own values and runs general instructions on them; most
//! templates only write text and fields, test them, loop over the segments and apply a
//! filter or two. [`Direct`] takes the instructions minijinja compiled for such a template
//! and runs them on the customer's fields as they are, borrowed, without converting anything.
//!
//! It is never the only judge of a text. Anything it does not model exactly (another filter,
//! an attribute, a value of another kind, an arithmetic overflow, a loop gone long) makes it
//! give up, and the caller fills the template through minijinja as before, whose answer and
//! whose error then count. The differential tests compare both on generated templates and
//! customers.

use std::borrow::Cow;
use std::fmt::Write;

use minijinja::machinery::{Instruction, Instructions};
use minijinja::value::ValueKind;

use super::{FUEL, MessageData, VARIABLES};

/// A template's instructions, each one of the engine's translated to one of ours (so jump
/// targets keep their meaning).
#[derive(Debug)]
pub(super) struct Direct {
    ops: Vec<Op>,
    /// How many names the template assigns (`for` targets and `set`).
    locals: usize,
    /// The length of its literal text, as a first guess of the output's.
    size_hint: usize,
}

#[derive(Debug)]
enum Op {
    Raw(Box<str>),
    /// A variable of the customer's data.
    Field(usize),
    /// A name the template assigns; until it is assigned, the data's field of that name if
    /// there is one.
    Local(usize, Option<usize>),
    /// The innermost `loop`.
    Loop,
    LoopAttr(LoopAttr),
    Const(Const),
    Emit,
    Store(usize),
    Not,
    In,
    Compare(Compare),
    Add,
    Sub,
    Concat,
    Filter(Filter),
    Jump(u32),
    JumpIfFalse(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    PushLoop {
        with_loop_var: bool,
    },
    Iterate(u32),
    PushDidNotIterate,
    PopLoopFrame,
    DupTop,
    DiscardTop,
}

#[derive(Debug)]
enum Const {
    Str(Box<str>),
    Int(i64),
    Bool(bool),
    None,
}

#[derive(Debug, Clone, Copy)]
enum Compare {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Debug, Clone, Copy)]
enum LoopAttr {
    Index,
    Index0,
    RevIndex,
    RevIndex0,
    First,
    Last,
    Length,
}

#[derive(Debug, Clone, Copy)]
enum Filter {
    Upper,
    Lower,
    Trim,
    Title,
    Length,
    /// `default` with this many arguments besides the value (0–2).
    Default(u16),
}

/// A value while a template runs: what the engine's value would be, for the kinds modelled.
#[derive(Debug, Clone)]
enum V<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    None,
    List(&'a [String]),
    /// The innermost loop's object, to read an attribute of.
    Loop,
}

impl V<'_> {
    /// Jinja's truth, as the engine decides it.
    fn truth(&self) -> Option<bool> {
        Some(match self {
            V::Str(s) => !s.is_empty(),
            V::Int(i) => *i != 0,
            V::Bool(b) => *b,
            V::None => false,
            V::List(items) => !items.is_empty(),
            V::Loop => return None,
        })
    }

    /// Writes the value as `{{ }}` does.
    fn write(&self, out: &mut String) -> Option<()> {
        match self {
            V::Str(s) => out.push_str(s),
            V::Int(i) => write!(out, "{i}").ok()?,
            V::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            V::None => out.push_str("None"),
            V::List(_) | V::Loop => return None,
        }
        Some(())
    }
}

struct LoopFrame<'a> {
    items: &'a [String],
    /// The index of the next item.
    next: usize,
    with_loop_var: bool,
    /// Where this frame's entries of the undo log start: the locals it assigned, with the
    /// values they had before, restored at each new item and when the loop ends.
    undo_from: usize,
}

/// Units of work a rendering may spend here before it gives up: a quarter of the engine's
/// fuel. Each step is charged at least what the engine charges for it (an instruction, each
/// byte written, each byte a filter reads or makes, each item `in` looks through), and a
/// value held here is never larger than this budget, so whenever the engine could run out of
/// fuel this has given up first and the engine judges.
const BUDGET: u64 = FUEL * 64 / 4;
/// What one step costs, as the engine counts an instruction.
const STEP: u64 = 64;

impl Direct {
    /// The direct form of compiled instructions, or `None` when they use anything not
    /// modelled here.
    pub(super) fn compile(instructions: &Instructions<'_>) -> Option<Direct> {
        let mut names: Vec<&str> = Vec::new();
        let mut ops = Vec::new();
        let mut size_hint = 0;
        let mut pc = 0;
        while let Some(instruction) = instructions.get(pc) {
            pc += 1;
            if let Instruction::StoreLocal(name) = instruction
                && !names.contains(name)
            {
                if *name == "loop" {
                    return None;
                }
                names.push(name);
            }
        }
        let slot = |name: &str| names.iter().position(|n| *n == name);
        let field = |name: &str| VARIABLES.iter().position(|n| *n == name);
        let mut pc = 0;
        while let Some(instruction) = instructions.get(pc) {
            pc += 1;
            ops.push(match instruction {
                Instruction::EmitRaw(text) => {
                    size_hint += text.len();
                    Op::Raw((*text).into())
                }
                Instruction::Lookup("loop") => Op::Loop,
                Instruction::Lookup(name) => match slot(name) {
                    Some(slot) => Op::Local(slot, field(name)),
                    None => Op::Field(field(name)?),
                },
                Instruction::GetAttr(name) => Op::LoopAttr(match *name {
                    "index" => LoopAttr::Index,
                    "index0" => LoopAttr::Index0,
                    "revindex" => LoopAttr::RevIndex,
                    "revindex0" => LoopAttr::RevIndex0,
                    "first" => LoopAttr::First,
                    "last" => LoopAttr::Last,
                    "length" => LoopAttr::Length,
                    _ => return None,
                }),
                Instruction::StoreLocal(name) => Op::Store(slot(name)?),
                Instruction::LoadConst(value) => Op::Const(match value.kind() {
                    ValueKind::String => Const::Str(value.as_str()?.into()),
                    ValueKind::Number if value.is_integer() => {
                        Const::Int(i64::try_from(value.clone()).ok()?)
                    }
                    ValueKind::Bool => Const::Bool(value.is_true()),
                    ValueKind::None => Const::None,
                    _ => return None,
                }),
                Instruction::Emit => Op::Emit,
                Instruction::Not => Op::Not,
                Instruction::In => Op::In,
                Instruction::Eq => Op::Compare(Compare::Eq),
                Instruction::Ne => Op::Compare(Compare::Ne),
                Instruction::Gt => Op::Compare(Compare::Gt),
                Instruction::Gte => Op::Compare(Compare::Gte),
                Instruction::Lt => Op::Compare(Compare::Lt),
                Instruction::Lte => Op::Compare(Compare::Lte),
                Instruction::Add => Op::Add,
                Instruction::Sub => Op::Sub,
                Instruction::StringConcat => Op::Concat,
                Instruction::ApplyFilter(name, Some(count), _) => {
                    Op::Filter(match (*name, count) {
                        ("upper", 1) => Filter::Upper,
                        ("lower", 1) => Filter::Lower,
                        ("trim", 1) => Filter::Trim,
                        ("title", 1) => Filter::Title,
                        ("length", 1) => Filter::Length,
                        ("default", 1..=3) => Filter::Default(count - 1),
                        _ => return None,
                    })
                }
                Instruction::Jump(to) => Op::Jump(*to),
                Instruction::JumpIfFalse(to) => Op::JumpIfFalse(*to),
                Instruction::JumpIfFalseOrPop(to) => Op::JumpIfFalseOrPop(*to),
                Instruction::JumpIfTrueOrPop(to) => Op::JumpIfTrueOrPop(*to),
                // Any other flag (a recursive loop) is not modelled.
                Instruction::PushLoop(flags) if flags & !1 == 0 => Op::PushLoop {
                    with_loop_var: flags & 1 == 1,
                },
                Instruction::Iterate(to) => Op::Iterate(*to),
                Instruction::PushDidNotIterate => Op::PushDidNotIterate,
                Instruction::PopLoopFrame => Op::PopLoopFrame,
                Instruction::DupTop => Op::DupTop,
                Instruction::DiscardTop => Op::DiscardTop,
                _ => return None,
            });
        }
        Some(Direct {
            ops,
            locals: names.len(),
            size_hint,
        })
    }

    /// The text for one customer, or `None` where the engine must decide.
    pub(super) fn render(&self, data: &MessageData) -> Option<String> {
        let mut out = String::with_capacity(self.size_hint + self.size_hint / 2);
        let mut stack: Vec<V<'_>> = Vec::with_capacity(8);
        let mut locals: Vec<Option<V<'_>>> = vec![None; self.locals];
        let mut undo: Vec<(usize, Option<V<'_>>)> = Vec::new();
        let mut loops: Vec<LoopFrame<'_>> = Vec::new();
        let mut spent: u64 = 0;
        let mut pc = 0usize;
        while let Some(op) = self.ops.get(pc) {
            pc += 1;
            spent += STEP;
            if spent > BUDGET {
                return None;
            }
            match op {
                Op::Raw(text) => {
                    out.push_str(text);
                    spent += text.len() as u64;
                }
                Op::Field(index) => stack.push(field(data, *index)?),
                Op::Local(slot, field_index) => stack.push(match &locals[*slot] {
                    Some(value) => value.clone(),
                    None => field(data, (*field_index)?)?,
                }),
                Op::Loop => {
                    loops.iter().rev().find(|l| l.with_loop_var)?;
                    stack.push(V::Loop);
                }
                Op::LoopAttr(attr) => {
                    let V::Loop = stack.pop()? else { return None };
                    let current = loops.iter().rev().find(|l| l.with_loop_var)?;
                    let (index0, length) = (current.next.checked_sub(1)?, current.items.len());
                    let int = |n: usize| i64::try_from(n).ok().map(V::Int);
                    stack.push(match attr {
                        LoopAttr::Index => int(index0 + 1)?,
                        LoopAttr::Index0 => int(index0)?,
                        LoopAttr::RevIndex => int(length - index0)?,
                        LoopAttr::RevIndex0 => int(length - index0 - 1)?,
                        LoopAttr::First => V::Bool(index0 == 0),
                        LoopAttr::Last => V::Bool(index0 + 1 == length),
                        LoopAttr::Length => int(length)?,
                    });
                }
                Op::Const(value) => stack.push(match value {
                    Const::Str(s) => V::Str(Cow::Borrowed(s)),
                    Const::Int(i) => V::Int(*i),
                    Const::Bool(b) => V::Bool(*b),
                    Const::None => V::None,
                }),
                Op::Emit => {
                    let before = out.len();
                    stack.pop()?.write(&mut out)?;
                    spent += (out.len() - before) as u64;
                }
                Op::Store(slot) => {
                    let value = stack.pop()?;
                    let old = locals[*slot].replace(value);
                    if let Some(frame) = loops.last()
                        && !undo[frame.undo_from..].iter().any(|(s, _)| s == slot)
                    {
                        undo.push((*slot, old));
                    }
                }
                Op::Not => {
                    let truth = stack.pop()?.truth()?;
                    stack.push(V::Bool(!truth));
                }
                Op::In => {
                    let container = stack.pop()?;
                    let V::Str(needle) = stack.pop()? else {
                        return None;
                    };
                    let found = match container {
                        V::Str(haystack) => {
                            spent += haystack.len() as u64;
                            haystack.contains(needle.as_ref())
                        }
                        V::List(items) => {
                            spent += items.len() as u64 * 32;
                            items.iter().any(|item| *item == needle)
                        }
                        _ => return None,
                    };
                    stack.push(V::Bool(found));
                }
                Op::Compare(compare) => {
                    let b = stack.pop()?;
                    let a = stack.pop()?;
                    let ordering = match (&a, &b) {
                        (V::Str(a), V::Str(b)) => a.cmp(b),
                        (V::Int(a), V::Int(b)) => a.cmp(b),
                        (V::Bool(a), V::Bool(b)) => a.cmp(b),
                        (V::None, V::None) => std::cmp::Ordering::Equal,
                        _ => return None,
                    };
                    stack.push(V::Bool(match compare {
                        Compare::Eq => ordering.is_eq(),
                        Compare::Ne => ordering.is_ne(),
                        Compare::Gt => ordering.is_gt(),
                        Compare::Gte => ordering.is_ge(),
                        Compare::Lt => ordering.is_lt(),
                        Compare::Lte => ordering.is_le(),
                    }));
                }
                Op::Add | Op::Sub => {
                    let (V::Int(b), V::Int(a)) = (stack.pop()?, stack.pop()?) else {
                        return None;
                    };
                    let result = match op {
                        Op::Add => a.checked_add(b)?,
                        _ => a.checked_sub(b)?,
                    };
                    stack.push(V::Int(result));
                }
                Op::Concat => {
                    let b = stack.pop()?;
                    let a = stack.pop()?;
                    let mut joined = String::new();
                    a.write(&mut joined)?;
                    b.write(&mut joined)?;
                    spent += joined.len() as u64;
                    stack.push(V::Str(Cow::Owned(joined)));
                }
                Op::Filter(filter) => {
                    let result = apply(*filter, &mut stack, &mut spent)?;
                    stack.push(result);
                }
                Op::Jump(to) => pc = *to as usize,
                Op::JumpIfFalse(to) => {
                    if !stack.pop()?.truth()? {
                        pc = *to as usize;
                    }
                }
                Op::JumpIfFalseOrPop(to) => {
                    if stack.last()?.truth()? {
                        stack.pop();
                    } else {
                        pc = *to as usize;
                    }
                }
                Op::JumpIfTrueOrPop(to) => {
                    if stack.last()?.truth()? {
                        pc = *to as usize;
                    } else {
                        stack.pop();
                    }
                }
                Op::PushLoop { with_loop_var } => {
                    let V::List(items) = stack.pop()? else {
                        return None;
                    };
                    loops.push(LoopFrame {
                        items,
                        next: 0,
                        with_loop_var: *with_loop_var,
                        undo_from: undo.len(),
                    });
                }
                Op::Iterate(to) => {
                    let frame = loops.last_mut()?;
                    match frame.items.get(frame.next) {
                        Some(item) => {
                            frame.next += 1;
                            // The engine clears a loop's names at each new item: what the
                            // body assigned for one item is gone for the next.
                            for (slot, old) in undo.drain(frame.undo_from..).rev() {
                                locals[slot] = old;
                            }
                            stack.push(V::Str(Cow::Borrowed(item)));
                        }
                        None => pc = *to as usize,
                    }
                }
                Op::PushDidNotIterate => {
                    let frame = loops.last()?;
                    stack.push(V::Bool(frame.next == 0));
                }
                Op::PopLoopFrame => {
                    let frame = loops.pop()?;
                    for (slot, old) in undo.drain(frame.undo_from..).rev() {
                        locals[slot] = old;
                    }
                }
                Op::DupTop => {
                    let top = stack.last()?.clone();
                    stack.push(top);
                }
                Op::DiscardTop => {
                    stack.pop()?;
                }
            }
        }
        Some(out)
    }
}

/// A field of the data by its place in [`VARIABLES`].
fn field(data: &MessageData, index: usize) -> Option<V<'_>> {
    fn text(s: &str) -> V<'_> {
        V::Str(Cow::Borrowed(s))
    }
    Some(match index {
        0 => text(&data.greeting),
        1 => text(&data.salutation),
        2 => text(&data.name),
        3 => text(&data.first_name),
        4 => text(&data.last_name),
        5 => text(&data.customer_number),
        6 => text(&data.segment),
        7 => V::List(&data.segments),
        8 => text(&data.language),
        9 => text(&data.lifetime_value),
        10 => text(&data.last_order_date),
        11 => text(&data.last_order_amount),
        12 => V::Int(i64::try_from(data.open_requests).ok()?),
        13 => text(&data.touchpoint),
        14 => text(&data.request_number),
        15 => text(&data.subject),
        16 => text(&data.agent),
        _ => return None,
    })
}

/// A filter applied to the values on top of the stack (the value, then its arguments).
fn apply<'a>(filter: Filter, stack: &mut Vec<V<'a>>, spent: &mut u64) -> Option<V<'a>> {
    // The engine charges the text a filter reads and the value it makes; so does this.
    let mut read = 0;
    let mut text = |value: V<'a>| match value {
        V::Str(s) => {
            read += s.len() as u64;
            Some(s)
        }
        _ => None,
    };
    let result = match filter {
        Filter::Upper => V::Str(Cow::Owned(text(stack.pop()?)?.to_uppercase())),
        Filter::Lower => V::Str(Cow::Owned(text(stack.pop()?)?.to_lowercase())),
        Filter::Trim => V::Str(Cow::Owned(text(stack.pop()?)?.trim().to_owned())),
        Filter::Title => V::Str(Cow::Owned(minijinja::filters::title(text(stack.pop()?)?))),
        Filter::Length => match stack.pop()? {
            V::List(items) => V::Int(i64::try_from(items.len()).ok()?),
            value => V::Int(i64::try_from(text(value)?.chars().count()).ok()?),
        },
        Filter::Default(arguments) => {
            let lax = match arguments {
                2 => stack.pop()?.truth()?,
                _ => false,
            };
            let other = match arguments {
                0 => V::Str(Cow::Borrowed("")),
                _ => stack.pop()?,
            };
            let value = stack.pop()?;
            if let V::Str(s) = &value {
                read += s.len() as u64;
            }
            // The data holds no undefined value, so only the lax form replaces one.
            if lax && !value.truth()? { other } else { value }
        }
    };
    *spent += read;
    if let V::Str(s) = &result {
        *spent += s.len() as u64;
    }
    Some(result)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::Compiled;
    use super::*;

    /// Both ways of filling `source` for `data`: the direct one (if it takes the template
    /// and this customer) and the engine's.
    fn both(source: &str, data: &MessageData) -> (Option<String>, Result<String, String>) {
        let compiled = Compiled::new(source).expect("the template compiles");
        let direct = compiled.direct.as_ref().and_then(|d| d.render(data));
        let engine = compiled
            .render_by_engine(data)
            .map_err(|e| format!("{e:?}"));
        (direct, engine)
    }

    fn customer() -> MessageData {
        MessageData {
            segments: vec!["premium".into(), "b2b".into()],
            open_requests: 3,
            ..MessageData::example()
        }
    }

    /// The templates people write take the direct way, for every kind of customer.
    #[test]
    fn the_usual_templates_are_filled_directly_and_alike() {
        let templates = [
            "{{ greeting }},\n\nvielen Dank für Ihre Bestellung vom {{ last_order_date or \"heutigen Tag\" }}{% if last_order_amount %} über {{ last_order_amount }}{% endif %}.\n\n{{ agent or \"Ihr Kundenservice\" }}",
            "{% if \"premium\" in segments %}Premium{% else %}Stamm{% endif %} {{ open_requests - 1 }} {{ subject | default(\"ohne Betreff\", true) }}",
            "{% for s in segments %}{{ loop.index }}/{{ loop.length }} {{ s | upper }}{% if not loop.last %}, {% endif %}{% else %}keine{% endfor %}",
            "{%- set who = first_name | title -%}\n  Hallo {{ who }}! {{ name | length }} {{ segment ~ \"/\" ~ open_requests }}",
        ];
        let empty = MessageData::default();
        for source in templates {
            for data in [customer(), empty.clone(), MessageData::example()] {
                assert_filled_directly_alike(source, &data);
            }
        }
    }

    /// Every variable reads its own field: `field` follows the order of [`VARIABLES`].
    #[test]
    fn each_variable_reads_its_field() {
        let data = customer();
        for name in VARIABLES {
            let source = match name {
                "segments" => {
                    "{{ segments | length }}{% for s in segments %}:{{ s }}{% endfor %}".to_owned()
                }
                "open_requests" => "{{ open_requests + 1 }}".to_owned(),
                text => format!("{{{{ {text} | length }}}}:{{{{ {text} }}}}"),
            };
            assert_filled_directly_alike(&source, &data);
        }
    }

    /// The direct way fills `source` for `data`, and writes what the engine writes.
    fn assert_filled_directly_alike(source: &str, data: &MessageData) {
        let (direct, engine) = both(source, data);
        assert_eq!(direct.as_ref(), engine.as_ref().ok(), "{source}");
        assert!(direct.is_some(), "not filled directly: {source}");
    }

    #[test]
    fn names_are_scoped_as_the_engine_scopes_them() {
        let data = customer();
        for source in [
            // A loop variable named like a field hides it only inside the loop.
            "{% for segment in segments %}[{{ segment }}]{% endfor %}{{ segment }}",
            // `set` inside a loop does not leak out of it.
            "{% set x = \"a\" %}{% for s in segments %}{% set x = s %}{{ x }}{% endfor %}{{ x }}",
            // Nor into the loop's next item: each item starts from the names outside.
            "{% set x = \"a\" %}{% for s in segments %}{{ x }}{% set x = s %}{{ x }};{% endfor %}",
            "{% for x in segments %}{% for s in segments %}{{ x }}{% set x = \"-\" %}{% endfor %}{% endfor %}",
            // Nested loops: `loop` is the innermost.
            "{% for a in segments %}{% for b in segments %}{{ loop.index0 }}{{ a }}{{ b }};{% endfor %}{{ loop.revindex }}{% endfor %}",
            "{{ first_name and last_name }}|{{ subject and \"x\" }}|{{ \"\" or open_requests }}",
        ] {
            assert_filled_directly_alike(source, &data);
        }
    }

    /// What it does not model is left to the engine: the same text or the same error.
    #[test]
    fn anything_else_is_left_to_the_engine() {
        let data = customer();
        for source in [
            "{{ segments }}",
            "{{ name | capitalize }}",
            "{{ \"a\" + 1 }}",
            "{{ open_requests + 9223372036854775807 }}",
            "{{ s }}{% for s in segments %}{% endfor %}",
            "{{ open_requests / 2 }}",
            "{% for s in segments if s != \"b2b\" %}{{ s }}{% endfor %}",
        ] {
            let (direct, _) = both(source, &data);
            assert_eq!(direct, None, "{source}");
        }
    }

    /// A loop that runs out of the engine's fuel is never finished here: the engine's
    /// refusal stands.
    #[test]
    fn work_beyond_the_fuel_is_left_to_the_engine() {
        let data = MessageData {
            segments: (0..60).map(|i| format!("s{i}")).collect(),
            ..customer()
        };
        let source = "{% for a in segments %}{% for b in segments %}{% for c in segments %}\
                      {{ c }}{% endfor %}{% endfor %}{% endfor %}";
        let (direct, engine) = both(source, &data);
        assert_eq!(direct, None);
        assert!(engine.is_err(), "{engine:?}");
        let refused = Compiled::new(source).expect("compiles").render(&data);
        assert!(
            matches!(&refused, Err(p) if p.fault == super::super::TemplateFault::TooMuchWork),
            "{refused:?}"
        );
    }

    fn text() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "",
            "a",
            "Anna",
            " Weber ",
            "straße",
            "ΣΑΣ",
            "premium",
            "b2b",
            "#42",
            "1",
            "Lieferung",
            "München-Süd",
            "x y",
        ])
        .prop_map(str::to_owned)
    }

    fn data() -> impl Strategy<Value = MessageData> {
        (
            prop::collection::vec(text(), 6),
            prop::collection::vec(text(), 0..4),
            prop_oneof![0u64..5, Just(u64::MAX), Just(i64::MAX as u64)],
        )
            .prop_map(|(t, segments, open_requests)| MessageData {
                greeting: t[0].clone(),
                first_name: t[1].clone(),
                name: t[2].clone(),
                customer_number: t[3].clone(),
                subject: t[4].clone(),
                agent: t[5].clone(),
                segment: segments.first().cloned().unwrap_or_default(),
                segments,
                open_requests,
                ..MessageData::default()
            })
    }

    /// An expression that gives a value.
    fn expression() -> impl Strategy<Value = String> {
        let var = prop::sample::select(vec![
            "greeting",
            "first_name",
            "name",
            "customer_number",
            "subject",
            "agent",
            "segment",
            "segments",
            "open_requests",
            "language",
            "s",
            "x",
        ]);
        let literal = prop::sample::select(vec![
            "\"premium\"",
            "\"\"",
            "\"ß\"",
            "0",
            "1",
            "2",
            "-3",
            "true",
            "false",
            "none",
        ]);
        let leaf = prop_oneof![var.prop_map(str::to_owned), literal.prop_map(str::to_owned)];
        leaf.prop_recursive(3, 12, 2, |inner| {
            let filter = prop::sample::select(vec![
                "upper",
                "lower",
                "trim",
                "title",
                "length",
                "capitalize",
                "default(\"–\")",
                "default(\"–\", true)",
                "default(0, 1)",
                "first",
            ]);
            let binary = prop::sample::select(vec![
                "or", "and", "==", "!=", "<", ">=", "in", "not in", "+", "-", "~", "*",
            ]);
            prop_oneof![
                (inner.clone(), filter).prop_map(|(e, f)| format!("({e}) | {f}")),
                (inner.clone(), binary, inner.clone())
                    .prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
                inner.clone().prop_map(|e| format!("not ({e})")),
                prop::sample::select(vec![
                    "loop.index",
                    "loop.first",
                    "loop.last",
                    "loop.length",
                    "loop.revindex0",
                    "loop.cycle(1, 2)",
                ])
                .prop_map(str::to_owned),
            ]
        })
    }

    /// A template: text, output, conditions, loops and assignments, nested.
    fn template() -> impl Strategy<Value = String> {
        let raw = prop::sample::select(vec!["Guten Tag ", "\n", "  ", ", ", "ä"]);
        let leaf = prop_oneof![
            raw.prop_map(str::to_owned),
            expression().prop_map(|e| format!("{{{{ {e} }}}}")),
            expression().prop_map(|e| format!("{{%- set x = {e} -%}}")),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            let body = prop::collection::vec(inner, 0..4).prop_map(|parts| parts.concat());
            prop_oneof![
                (expression(), body.clone(), body.clone())
                    .prop_map(|(c, a, b)| format!("{{% if {c} %}}{a}{{% else %}}{b}{{% endif %}}")),
                (body.clone(), body.clone()).prop_map(|(a, b)| format!(
                    "{{% for s in segments %}}{a}{{% else %}}{b}{{% endfor %}}"
                )),
                body.prop_map(|a| format!("{{% for x in segments %}}{a}{{% endfor %}}")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        /// Wherever the direct way gives a text, the engine gives the same text.
        #[test]
        fn the_direct_way_writes_what_the_engine_writes(
            parts in prop::collection::vec(template(), 1..4),
            data in data(),
        ) {
            let source = parts.concat();
            let Ok(compiled) = Compiled::new(&source) else {
                return Ok(());
            };
            if let Some(text) = compiled.direct.as_ref().and_then(|d| d.render(&data)) {
                prop_assert_eq!(Ok(text), compiled.render_by_engine(&data).map_err(|e| e.detail));
            }
        }
    }
}
