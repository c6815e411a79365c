"""The attitude rule's weekly uniforms, compiled: ``single_uniforms(stream, size)`` is
``stream.random(size, dtype=np.float32)`` to the last bit and leaves the stream where numpy would, in half the time.

Why: the rule draws one uniform per community member every week (``sim.streams``: a fixed block), 100,000 at the
size the benchmarks time, and numpy makes them one PCG64 step after another, each waiting for the 128-bit product of
the last. Here ``LANES`` steps run side by side: lane j starts j + 1 steps ahead and every lane jumps ``LANES`` steps
at a time (PCG64 is a linear congruential generator, so a jump of k steps is one multiply-add by constants worked
out from the stream's increment). Each step's output is PCG64's (XSL-RR), turned into two float32 as numpy turns
it: the top 24 bits of each 32-bit half, low half first, an unused high half kept for the next draw as numpy keeps
it. The stream's state is read and written through ``bit_generator.state``; another bit generator draws through
numpy. (The rules' float64 blocks of a few thousand people gain nothing measurable this way: numpy's own is kept.)
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from sim.compiled import kernel

LANES = 4  # PCG64 steps made side by side, floats_into's four lanes (measured at 100,000: faster than 2, 6, 8, 16)
MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645  # PCG64's 128-bit multiplier (numpy's PCG64_DEFAULT_MULTIPLIER)
WORD = 64  # bits in each half of a 128-bit number
HALF = 32  # bits in each float32's share of an output
FLOATS_PER_OUTPUT = 2  # its two halves
LOW_WORD = (1 << WORD) - 1
MULTIPLIER_LOW, MULTIPLIER_HIGH = np.uint64(MULTIPLIER & LOW_WORD), np.uint64(MULTIPLIER >> WORD)
ROTATION_BITS = 58  # an output's rotation is the top six bits of the state
FLOAT_BITS = 8  # bits a 32-bit half loses to make a float32 (24 left)
FLOAT_UNIT = np.float32(1.0 / 16777216.0)  # 2**-24
# below this many uniforms numpy's own generator is as fast: the compiled one spends about 5 us reading and writing
# the stream's state (measured: even at 6,000, 20% faster at 10,000, 45% at 100,000)
COMPILED_FROM = 6_000
_I128 = ir.IntType(2 * WORD)


@intrinsic
def multiply_add(typingctx, a_low, a_high, b_low, b_high, c_low, c_high):
    """``a * b + c`` modulo 2**128, of numbers given as (low, high) 64-bit halves: the halves of the result."""
    word = types.uint64
    signature = types.UniTuple(word, 2)(word, word, word, word, word, word)

    def codegen(context, builder, signature, args):
        def joined(low, high):
            return builder.or_(builder.zext(low, _I128), builder.shl(builder.zext(high, _I128), ir.Constant(_I128, WORD)))

        result = builder.add(builder.mul(joined(args[0], args[1]), joined(args[2], args[3])), joined(args[4], args[5]))
        low = builder.trunc(result, ir.IntType(WORD))
        high = builder.trunc(builder.lshr(result, ir.Constant(_I128, WORD)), ir.IntType(WORD))
        return context.make_tuple(builder, signature.return_type, (low, high))

    return signature, codegen


@kernel
def output(low, high):
    """PCG64's output of a state (XSL-RR): the halves xor-ed, rotated right by the state's top six bits."""
    rotation = high >> np.uint64(ROTATION_BITS)
    mixed = high ^ low
    return (mixed >> rotation) | (mixed << ((np.uint64(WORD) - rotation) & np.uint64(WORD - 1)))


@kernel
def jump(steps, increment):
    """The multiplier and addend (halves: multiplier low, high, addend low, high) that move a PCG64 state ``steps``
    steps on at once (numpy's ``advance``, by squaring)."""
    zero, one = np.uint64(0), np.uint64(1)
    total = np.array([one, zero, zero, zero], dtype=np.uint64)
    multiplier_low, multiplier_high = MULTIPLIER_LOW, MULTIPLIER_HIGH
    plus_low, plus_high = increment[0], increment[1]
    while steps > 0:
        if steps & 1:
            total[0], total[1] = multiply_add(total[0], total[1], multiplier_low, multiplier_high, zero, zero)
            total[2], total[3] = multiply_add(total[2], total[3], multiplier_low, multiplier_high, plus_low, plus_high)
        raised_low, raised_high = multiply_add(multiplier_low, multiplier_high, one, zero, one, zero)  # multiplier + 1
        plus_low, plus_high = multiply_add(raised_low, raised_high, plus_low, plus_high, zero, zero)
        multiplier_low, multiplier_high = multiply_add(multiplier_low, multiplier_high, multiplier_low, multiplier_high,
                                                       zero, zero)
        steps >>= 1
    return total


@kernel
def lanes_from(state, increment):
    """The states one to ``LANES`` steps on from ``state`` (one lane each, a row of halves)."""
    one_step = jump(1, increment)
    lanes = np.empty((LANES, 2), dtype=np.uint64)
    low, high = state[0], state[1]
    for lane in range(LANES):
        low, high = multiply_add(low, high, one_step[0], one_step[1], one_step[2], one_step[3])
        lanes[lane, 0], lanes[lane, 1] = low, high
    return lanes


@kernel
def move(state, increment, steps):
    """``state`` moved on ``steps`` steps, in place."""
    by = jump(steps, increment)
    state[0], state[1] = multiply_add(state[0], state[1], by[0], by[1], by[2], by[3])


@kernel
def float_of(half):
    """numpy's float32 uniform of a 32-bit half of an output: its top 24 bits."""
    return np.float32(np.int32(half >> np.uint64(FLOAT_BITS))) * FLOAT_UNIT


@kernel
def write_floats(out, at, word, low_half, half):
    """The two float32 of an output at ``out[at]`` and ``out[at + 1]``; returns its high half."""
    out[at] = float_of(word & low_half)
    out[at + 1] = float_of(word >> half)
    return word >> half


@kernel
def floats_into(out, state, increment, kept):
    """``out`` filled with the next float32 uniforms of the stream at ``state``, as numpy's ``random`` makes them: the
    half ``kept`` from the last draw first (when ``kept[0]`` is 1, its value ``kept[1]``), then both halves of each
    output, low first; an unused high half is kept in ``kept`` for the next draw (``kept[1]`` holds the last high half
    made, used or not, as numpy's state does), and ``state`` moved on."""
    count, first = out.size, 0
    if count and kept[0]:
        out[0] = float_of(kept[1])
        kept[0], first = 0, 1
    outputs = (count - first + 1) // FLOATS_PER_OUTPUT
    lanes, (times_low, times_high, plus_low, plus_high) = lanes_from(state, increment), jump(LANES, increment)
    low_half, half = np.uint64((1 << HALF) - 1), np.uint64(HALF)
    high = kept[1]  # the high half of the last output made, which numpy keeps even once it is used
    whole = (count - first) // FLOATS_PER_OUTPUT  # outputs both of whose halves are used
    whole -= whole % LANES  # in whole leaps of every lane, then the rest from the first lanes
    first_low, first_high, second_low, second_high = lanes[0, 0], lanes[0, 1], lanes[1, 0], lanes[1, 1]
    third_low, third_high, fourth_low, fourth_high = lanes[2, 0], lanes[2, 1], lanes[3, 0], lanes[3, 1]
    for start in range(0, whole, LANES):  # the lanes as local numbers, which stay in registers
        at = first + FLOATS_PER_OUTPUT * start
        write_floats(out, at, output(first_low, first_high), low_half, half)
        at += FLOATS_PER_OUTPUT
        write_floats(out, at, output(second_low, second_high), low_half, half)
        at += FLOATS_PER_OUTPUT
        write_floats(out, at, output(third_low, third_high), low_half, half)
        at += FLOATS_PER_OUTPUT
        high = write_floats(out, at, output(fourth_low, fourth_high), low_half, half)
        first_low, first_high = multiply_add(first_low, first_high, times_low, times_high, plus_low, plus_high)
        second_low, second_high = multiply_add(second_low, second_high, times_low, times_high, plus_low, plus_high)
        third_low, third_high = multiply_add(third_low, third_high, times_low, times_high, plus_low, plus_high)
        fourth_low, fourth_high = multiply_add(fourth_low, fourth_high, times_low, times_high, plus_low, plus_high)
    lanes[0, 0], lanes[0, 1], lanes[1, 0], lanes[1, 1] = first_low, first_high, second_low, second_high
    lanes[2, 0], lanes[2, 1], lanes[3, 0], lanes[3, 1] = third_low, third_high, fourth_low, fourth_high
    for lane in range(outputs - whole):
        word = output(lanes[lane, 0], lanes[lane, 1])
        at = first + FLOATS_PER_OUTPUT * (whole + lane)
        high = word >> half
        out[at] = float_of(word & low_half)
        if at + 1 < count:
            out[at + 1] = float_of(high)
        else:
            kept[0] = 1
    kept[1] = high
    move(state, increment, outputs)


def single_uniforms(stream: np.random.Generator, size: int) -> np.ndarray:
    """``stream.random(size, dtype=np.float32)``: the same numbers, and the stream left in the same state; compiled
    (``compiled_uniforms``) for a PCG64 stream (every stream of a run, ``sim.streams.Streams``) of ``COMPILED_FROM``
    uniforms or more, in half the time at 100,000."""
    if size < COMPILED_FROM or not isinstance(stream.bit_generator, np.random.PCG64):
        return stream.random(size, dtype=np.float32)
    return compiled_uniforms(stream, size)


def compiled_uniforms(stream: np.random.Generator, size: int) -> np.ndarray:
    """``floats_into`` from a PCG64 stream's state, written back to it."""
    bit_generator = stream.bit_generator
    state = bit_generator.state
    pcg = state["state"]
    words = np.array([pcg["state"] & LOW_WORD, pcg["state"] >> WORD], dtype=np.uint64)
    increment = np.array([pcg["inc"] & LOW_WORD, pcg["inc"] >> WORD], dtype=np.uint64)
    kept = np.array([state["has_uint32"], state["uinteger"]], dtype=np.uint64)
    out = np.empty(size, dtype=np.float32)
    floats_into(out, words, increment, kept)
    pcg["state"] = int(words[0]) | int(words[1]) << WORD
    state["has_uint32"], state["uinteger"] = int(kept[0]), int(kept[1])
    bit_generator.state = state
    return out
