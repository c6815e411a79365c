"""The rules' weekly blocks of uniforms, compiled: ``uniforms(stream, shape, dtype)`` is
``stream.random(shape, dtype=dtype)`` (float64 or float32) to the last bit, and leaves the stream where numpy would.

Why: the rules draw fixed blocks every week (``sim.streams``), over 200,000 uniforms at 100,000 members and 5,000
released (one float32 per member for the attitude rule; four or six float64 per released person for referral,
supervision and offending), and numpy makes them one PCG64 step after another, each waiting for the 128-bit product
of the last. Here ``LANES`` steps run side by side: lane j starts j + 1 steps ahead and every lane jumps ``LANES``
steps at a time (PCG64 is a linear congruential generator, so a jump of k steps is one multiply-add by constants
worked out from the stream's increment). Each step's output is PCG64's (XSL-RR), turned into floats as numpy turns
it: a float64 from its top 53 bits; two float32 from the top 24 bits of each 32-bit half, low half first, an unused
high half kept for the next float32 draw as numpy keeps it. The stream's state is read and written through
``bit_generator.state`` (about 5 us a draw, so blocks under ``COMPILED_FROM`` go to numpy); another bit generator
draws through numpy.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from sim.compiled import kernel

LANES = 4  # PCG64 steps made side by side, the four of lanes_from (measured: faster than 2, 6, 8 or 16)
MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645  # PCG64's 128-bit multiplier (numpy's PCG64_DEFAULT_MULTIPLIER)
WORD = 64  # bits in each half of a 128-bit number
HALF = 32  # bits in each float32's share of an output
FLOATS_PER_OUTPUT = 2  # its two halves
LOW_WORD = (1 << WORD) - 1
MULTIPLIER_LOW, MULTIPLIER_HIGH = np.uint64(MULTIPLIER & LOW_WORD), np.uint64(MULTIPLIER >> WORD)
ROTATION_BITS = 58  # an output's rotation is the top six bits of the state
FLOAT_BITS = 8  # bits a 32-bit half loses to make a float32 (24 left)
DOUBLE_BITS = 11  # bits an output loses to make a float64 (53 left)
DOUBLE_UNIT = 1.0 / 9007199254740992.0  # 2**-53
FLOAT_UNIT = np.float32(1.0 / 16777216.0)  # 2**-24
# below this many uniforms numpy's own generator is as fast: the compiled one spends about 5 us reading and writing
# the stream's state (measured: even at 6,000, 20% faster at 10,000, 45% at 100,000)
COMPILED_FROM = 6_000
COMPILED_TYPES = (np.dtype(np.float64), np.dtype(np.float32))  # the two numpy's random makes
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
    total_times_low, total_times_high, total_plus_low, total_plus_high = one, zero, zero, zero
    times_low, times_high = MULTIPLIER_LOW, MULTIPLIER_HIGH
    plus_low, plus_high = increment[0], increment[1]
    while steps > 0:
        if steps & 1:
            total_times_low, total_times_high = multiply_add(total_times_low, total_times_high, times_low, times_high,
                                                             zero, zero)
            total_plus_low, total_plus_high = multiply_add(total_plus_low, total_plus_high, times_low, times_high,
                                                           plus_low, plus_high)
        raised_low, raised_high = multiply_add(times_low, times_high, one, zero, one, zero)  # multiplier + 1
        plus_low, plus_high = multiply_add(raised_low, raised_high, plus_low, plus_high, zero, zero)
        times_low, times_high = multiply_add(times_low, times_high, times_low, times_high, zero, zero)
        steps >>= 1
    return total_times_low, total_times_high, total_plus_low, total_plus_high


@kernel
def lanes_from(state, increment):
    """The states one to ``LANES`` steps on from ``state``, as halves (low, high of each lane in turn): local numbers,
    which stay in registers."""
    times_low, times_high, plus_low, plus_high = jump(1, increment)
    first_low, first_high = multiply_add(state[0], state[1], times_low, times_high, plus_low, plus_high)
    second_low, second_high = multiply_add(first_low, first_high, times_low, times_high, plus_low, plus_high)
    third_low, third_high = multiply_add(second_low, second_high, times_low, times_high, plus_low, plus_high)
    fourth_low, fourth_high = multiply_add(third_low, third_high, times_low, times_high, plus_low, plus_high)
    return first_low, first_high, second_low, second_high, third_low, third_high, fourth_low, fourth_high


@kernel
def outputs_of(lanes):
    """The output of each lane."""
    return output(lanes[0], lanes[1]), output(lanes[2], lanes[3]), output(lanes[4], lanes[5]), output(lanes[6], lanes[7])


@kernel
def leap(lanes, by):
    """Every lane moved on ``LANES`` steps (``by``: ``jump(LANES, increment)``)."""
    times_low, times_high, plus_low, plus_high = by
    first_low, first_high = multiply_add(lanes[0], lanes[1], times_low, times_high, plus_low, plus_high)
    second_low, second_high = multiply_add(lanes[2], lanes[3], times_low, times_high, plus_low, plus_high)
    third_low, third_high = multiply_add(lanes[4], lanes[5], times_low, times_high, plus_low, plus_high)
    fourth_low, fourth_high = multiply_add(lanes[6], lanes[7], times_low, times_high, plus_low, plus_high)
    return first_low, first_high, second_low, second_high, third_low, third_high, fourth_low, fourth_high


@kernel
def move(state, increment, steps):
    """``state`` moved on ``steps`` steps, in place."""
    times_low, times_high, plus_low, plus_high = jump(steps, increment)
    state[0], state[1] = multiply_add(state[0], state[1], times_low, times_high, plus_low, plus_high)


@kernel
def double_of(word):
    """numpy's float64 uniform of an output: its top 53 bits."""
    return np.int64(word >> np.uint64(DOUBLE_BITS)) * DOUBLE_UNIT


@kernel
def float_of(half):
    """numpy's float32 uniform of a 32-bit half of an output: its top 24 bits."""
    return np.float32(np.int32(half >> np.uint64(FLOAT_BITS))) * FLOAT_UNIT


@kernel
def doubles_into(out, state, increment):
    """``out`` filled with the next float64 uniforms of the stream at ``state``, as numpy's ``random`` makes them (one an
    output), and ``state`` moved on."""
    count = out.size
    lanes, by = lanes_from(state, increment), jump(LANES, increment)
    whole = count - count % LANES  # in whole leaps of every lane, then the rest from the first lanes
    for at in range(0, whole, LANES):
        words = outputs_of(lanes)
        for lane in range(LANES):
            out[at + lane] = double_of(words[lane])
        lanes = leap(lanes, by)
    words = outputs_of(lanes)
    for lane in range(count - whole):
        out[whole + lane] = double_of(words[lane])
    move(state, increment, count)


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
    lanes, by = lanes_from(state, increment), jump(LANES, increment)
    low_half, half = np.uint64((1 << HALF) - 1), np.uint64(HALF)
    high = kept[1]  # the high half of the last output made, which numpy keeps even once it is used
    whole = (count - first) // FLOATS_PER_OUTPUT  # outputs both of whose halves are used
    whole -= whole % LANES  # in whole leaps of every lane, then the rest from the first lanes
    for start in range(0, whole, LANES):
        words = outputs_of(lanes)
        for lane in range(LANES):
            at = first + FLOATS_PER_OUTPUT * (start + lane)
            high = words[lane] >> half
            out[at] = float_of(words[lane] & low_half)
            out[at + 1] = float_of(high)
        lanes = leap(lanes, by)
    words = outputs_of(lanes)
    for lane in range(outputs - whole):
        at = first + FLOATS_PER_OUTPUT * (whole + lane)
        high = words[lane] >> half
        out[at] = float_of(words[lane] & low_half)
        if at + 1 < count:
            out[at + 1] = float_of(high)
        else:
            kept[0] = 1
    kept[1] = high
    move(state, increment, outputs)


def uniforms(stream: np.random.Generator, shape: int | tuple[int, ...], dtype=np.float64) -> np.ndarray:
    """``stream.random(shape, dtype=dtype)`` (float64 or float32): the same numbers, and the stream left in the same
    state (``compiled`` from ``COMPILED_FROM`` uniforms: in half numpy's time for 100,000 float32, three quarters for
    30,000 float64)."""
    count = shape if isinstance(shape, int) else math.prod(shape)
    # numpy's own draw for a small block (any object with numpy's ``random``), another bit generator, or a dtype numpy
    # does not make (its error)
    if (count < COMPILED_FROM or not isinstance(stream.bit_generator, np.random.PCG64)
            or np.dtype(dtype) not in COMPILED_TYPES):
        return stream.random(shape, dtype=dtype)
    return compiled(stream, np.empty(shape, dtype=dtype))


def compiled(stream: np.random.Generator, out: np.ndarray) -> np.ndarray:
    """``out`` filled from a PCG64 stream (``floats_into`` or ``doubles_into``, by its type), the stream's state read
    and written back through ``bit_generator.state``."""
    bit_generator = stream.bit_generator
    state = bit_generator.state
    pcg = state["state"]
    words = np.array([pcg["state"] & LOW_WORD, pcg["state"] >> WORD], dtype=np.uint64)
    increment = np.array([pcg["inc"] & LOW_WORD, pcg["inc"] >> WORD], dtype=np.uint64)
    if out.dtype == np.float32:
        kept = np.array([state["has_uint32"], state["uinteger"]], dtype=np.uint64)
        floats_into(out.reshape(-1), words, increment, kept)
        state["has_uint32"], state["uinteger"] = int(kept[0]), int(kept[1])
    else:
        doubles_into(out.reshape(-1), words, increment)
    pcg["state"] = int(words[0]) | int(words[1]) << WORD
    bit_generator.state = state
    return out
