/* khabar.text._scan: the token scan of khabar.text.segmenter in C (optional accelerator).
 *
 * scan(text, match, first_kind, kind_cache, stems, word, punct, number, dateline_words, agency_firsts)
 *     -> (starts, ends, kinds, events)
 *
 * Splits ``text`` exactly as ``token_re().findall(text)`` does (khabar/text/tokenizer.py): the C
 * code handles the common tokens itself and asks ``match`` (the compiled token regex's ``match``
 * method) for every other token, so the result is the regex's by construction:
 *
 *   - a run of Arabic-script word characters (the _AR class) not followed by "." is a token
 *     (the regex's first alternative, kind "word");
 *   - such a run followed by "." is still the whole run when it has two or more characters and is
 *     not in ``stems`` (the leading runs of the listed abbreviations): the dotted-initial
 *     alternatives need a one-letter run, and a listed abbreviation can only match when its own
 *     leading run equals the text's run;
 *   - ، ؛ : « » ( ) [ ] " / - are tokens of one character, and . ! ؟ ? … when the next character
 *     is not the same mark (kind "punct");
 *   - a run of the digits 0-9 ۰-۹ followed by the end, white space, an Arabic-script word character
 *     or one of ، ؛ « » ( ) ! ؟ ? " is a number (only the number alternative can take it: no
 *     separator, Latin letter, "@" or "." follows), when ``number`` is not None (the caller passes
 *     None if a listed abbreviation starts with a digit);
 *   - anything else: ``match(text, pos)`` gives the token's end; its kind is
 *     ``first_kind[first character]`` or else ``kind_cache[token]`` (as Segmentation.kinds does).
 *
 * ``events`` lists, in text order, what the sentence scan looks at: ``i`` for a token that is one
 * of . ! ? ؟ … « » “ ” " : - or a run of one of . ! ? ؟ …, and ``~i`` (-i - 1) for a line break in
 * the white space before token i > 0; ``n + i`` (n tokens) instead of ``i`` for a stop of the
 * common case, "word. word", which the scan settles without looking further (see plain_stop).
 * A terminal token at the end of a line or of the text, and a colon or dash that cannot be part
 * of a dateline (see passed_over), are no events: the scan would not change anything for them (no
 * sentence end is added before a line break, which ends one anyway).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int
is_space(Py_UCS4 c)
{
    switch (c) {
    case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x1c: case 0x1d: case 0x1e: case 0x1f:
    case 0x20: case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f:
    case 0x3000:
        return 1;
    default:
        return c >= 0x2000 && c <= 0x200a;
    }
}

static int
is_line_break(Py_UCS4 c)
{
    switch (c) {
    case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x1c: case 0x1d: case 0x1e: case 0x85:
    case 0x2028: case 0x2029:
        return 1;
    default:
        return 0;
    }
}

/* _AR in tokenizer.py */
static int
is_ar(Py_UCS4 c)
{
    if (c < 0x0610)
        return 0;
    if (c <= 0x06ff) {
        return (c <= 0x061a) || (c >= 0x0620 && c <= 0x065f) || (c >= 0x066e && c <= 0x06d3)
            || (c >= 0x06d5 && c <= 0x06dc) || (c >= 0x06df && c <= 0x06e8) || (c >= 0x06ea && c <= 0x06ef)
            || (c >= 0x06fa && c <= 0x06fc) || c == 0x06ff;
    }
    return (c >= 0x0750 && c <= 0x077f) || (c >= 0x08a0 && c <= 0x08ff) || (c >= 0xfb50 && c <= 0xfd3d)
        || (c >= 0xfd50 && c <= 0xfdfb) || (c >= 0xfe70 && c <= 0xfefc) || c == 0x200c || c == 0x200d;
}

/* [،؛:«»()\[\]"/\-]: always a token of one character */
static int
is_single_punct(Py_UCS4 c)
{
    switch (c) {
    case 0x060c: case 0x061b: case ':': case 0xab: case 0xbb: case '(': case ')': case '[': case ']':
    case '"': case '/': case '-':
        return 1;
    default:
        return 0;
    }
}

/* . ! ؟ ? …: a token of one character unless the same mark follows */
static int
is_run_mark(Py_UCS4 c)
{
    return c == '.' || c == '!' || c == 0x061f || c == '?' || c == 0x2026;
}

/* a one-character token the sentence scan looks at (_EVENTS in segmenter.py) */
static int
is_event_char(Py_UCS4 c)
{
    return is_run_mark(c) || c == 0xab || c == 0xbb || c == 0x201c || c == 0x201d || c == '"' || c == ':'
        || c == '-';
}

/* 0-9 and ۰-۹ */
static int
is_digit(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 0x06f0 && c <= 0x06f9);
}

/* After a run of digits, a character with which no alternative of the token regex but the number
 * (``\d+``, nothing after it) can go on: white space, an Arabic-script word character, ، ؛ « » ( ) ! ؟ ? "
 * (not a digit, Latin letter, separator, %, "." "@" "-" ...). */
static int
ends_digits(Py_UCS4 c)
{
    switch (c) {
    case 0x060c: case 0x061b: case 0xab: case 0xbb: case '(': case ')': case '!': case 0x061f: case '?': case '"':
        return 1;
    default:
        return is_space(c) || is_ar(c);
    }
}

/* A growable array of offsets. */
typedef struct {
    Py_ssize_t *v;
    Py_ssize_t n, cap;
} Offsets;

/* 0, or -1 with MemoryError set */
static int
offsets_push(Offsets *o, Py_ssize_t x)
{
    if (o->n == o->cap) {
        Py_ssize_t cap = o->cap ? 2 * o->cap : 1024;
        Py_ssize_t *v = PyMem_Realloc(o->v, (size_t)cap * sizeof(Py_ssize_t));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        o->v = v;
        o->cap = cap;
    }
    o->v[o->n++] = x;
    return 0;
}

typedef struct {
    Py_ssize_t *starts;
    Py_ssize_t *ends;
    PyObject **kinds;  /* owned references */
    Py_ssize_t n, cap;
    Offsets events;
} Out;

static void
out_free(Out *o)
{
    if (o->kinds) {
        for (Py_ssize_t i = 0; i < o->n; i++)
            Py_DECREF(o->kinds[i]);
    }
    PyMem_Free(o->starts);
    PyMem_Free(o->ends);
    PyMem_Free(o->kinds);
    PyMem_Free(o->events.v);
}

/* append a token, stealing the reference to kind */
static int
out_token(Out *o, Py_ssize_t start, Py_ssize_t end, PyObject *kind)
{
    if (o->n == o->cap) {
        Py_ssize_t cap = o->cap ? o->cap * 2 : 1024;
        Py_ssize_t *s = PyMem_Realloc(o->starts, cap * sizeof(Py_ssize_t));
        if (s == NULL) goto fail;
        o->starts = s;
        Py_ssize_t *e = PyMem_Realloc(o->ends, cap * sizeof(Py_ssize_t));
        if (e == NULL) goto fail;
        o->ends = e;
        PyObject **k = PyMem_Realloc(o->kinds, cap * sizeof(PyObject *));
        if (k == NULL) goto fail;
        o->kinds = k;
        o->cap = cap;
    }
    o->starts[o->n] = start;
    o->ends[o->n] = end;
    o->kinds[o->n] = kind;
    o->n++;
    return 0;
fail:
    Py_DECREF(kind);
    PyErr_NoMemory();
    return -1;
}

static inline int
out_event(Out *o, Py_ssize_t ev)
{
    return offsets_push(&o->events, ev);
}

static PyObject *
int_list(const Py_ssize_t *values, Py_ssize_t n)
{
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyLong_FromSsize_t(values[i]);
        if (v == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, v);
    }
    return list;
}

/* the kind of a token the regex cut: first_kind[first character], else kind_cache[token] */
static PyObject *
fallback_kind(PyObject *text, Py_ssize_t start, Py_ssize_t end, Py_UCS4 first, PyObject *first_kind,
              PyObject *kind_cache)
{
    PyObject *c = PyUnicode_FromOrdinal(first);
    if (c == NULL)
        return NULL;
    PyObject *kind = PyDict_GetItemWithError(first_kind, c);  /* borrowed */
    Py_DECREF(c);
    if (kind != NULL) {
        Py_INCREF(kind);
        return kind;
    }
    if (PyErr_Occurred())
        return NULL;
    PyObject *tok = PyUnicode_Substring(text, start, end);
    if (tok == NULL)
        return NULL;
    kind = PyObject_GetItem(kind_cache, tok);
    Py_DECREF(tok);
    return kind;
}

/* the end of the token at pos, from the regex */
static Py_ssize_t
regex_end(PyObject *match, PyObject *text, Py_ssize_t pos, Py_ssize_t len)
{
    PyObject *p = PyLong_FromSsize_t(pos);
    if (p == NULL)
        return -1;
    PyObject *m = PyObject_CallFunctionObjArgs(match, text, p, NULL);
    Py_DECREF(p);
    if (m == NULL)
        return -1;
    if (m == Py_None) {
        Py_DECREF(m);
        PyErr_Format(PyExc_RuntimeError, "token regex found no token at %zd", pos);
        return -1;
    }
    PyObject *e = PyObject_CallMethod(m, "end", NULL);
    Py_DECREF(m);
    if (e == NULL)
        return -1;
    Py_ssize_t end = PyLong_AsSsize_t(e);
    Py_DECREF(e);
    if (end == -1 && PyErr_Occurred())
        return -1;
    if (end <= pos || end > len) {
        PyErr_Format(PyExc_RuntimeError, "token regex gave an empty or overlong token at %zd", pos);
        return -1;
    }
    return end;
}

/* _NOT_PLAIN_NEXT in segmenter.py: after a stop and one space, these need a closer look */
static int
not_plain_next(Py_UCS4 c)
{
    switch (c) {
    case 0x060c: case 0x061b: case ':': case ',': case ';': case ')': case ']': case '}': case 0xbb:
    case 0x201d: case '"': case 0x2019: case 0xab: case '[': case '(':
        return 1;
    default:
        return is_space(c);
    }
}

/* Is token i the last, or followed by white space with a line break in it? */
static int
ends_line(int ukind, const void *data, const Out *o, Py_ssize_t i)
{
    if (i + 1 == o->n)
        return 1;
    for (Py_ssize_t k = o->ends[i]; k < o->starts[i + 1]; k++) {
        if (is_line_break(PyUnicode_READ(ukind, data, k)))
            return 1;
    }
    return 0;
}

static int
is_stop_token(int ukind, const void *data, const Out *o, Py_ssize_t k)
{
    return o->ends[k] - o->starts[k] == 1 && PyUnicode_READ(ukind, data, o->starts[k]) == '.';
}

/* segmenter._Scan.initials: is the stop at token i inside a run of short words each followed by a
 * stop ("اف. بی. آی")? */
static int
initials(int ukind, const void *data, const Out *o, Py_ssize_t i)
{
    if (o->ends[i + 1] - o->starts[i + 1] <= 3 && i + 2 < o->n && o->starts[i + 2] == o->ends[i + 1]
            && is_stop_token(ukind, data, o, i + 2))
        return 1;
    return i >= 3 && is_stop_token(ukind, data, o, i - 2) && o->starts[i - 1] > o->ends[i - 2]
        && o->ends[i - 3] - o->starts[i - 3] <= 2 && o->starts[i - 2] == o->ends[i - 3];
}

/* A stop the sentence scan (segmenter._Scan.sentences) settles at once as a sentence end: token i
 * (0 < i < n - 1) is one of . ! ? ؟, token i + 1 comes after exactly one " " and does not start
 * with a mark of _NOT_PLAIN_NEXT, and either
 *   (a) token i - 1 with the white space before it is longer than 3 characters (the scan's own
 *       shortcut), or
 *   (b) what the full rules (closing_run, ends_here) decide for such a stop: token i + 1 is not a
 *       lone mark of punctuation ending a line or the text, and the stop is not a "." written right
 *       after a word starting with a digit (perhaps a numbered item "۱۲.") nor a "." after a word
 *       of one or two characters inside initials ("اف. بی. آی").  Here the closing run is the stop
 *       alone and nothing else is read. */
static int
plain_stop(int ukind, const void *data, const Out *o, Py_ssize_t i, PyObject *punct)
{
    const Py_ssize_t s = o->starts[i], e = o->ends[i];
    if (e - s != 1)
        return 0;
    const Py_UCS4 c = PyUnicode_READ(ukind, data, s);
    if (c != '.' && c != '!' && c != '?' && c != 0x061f)
        return 0;
    if (PyUnicode_READ(ukind, data, e) != ' ' || not_plain_next(PyUnicode_READ(ukind, data, e + 1)))
        return 0;
    const Py_ssize_t before_start = i > 1 ? o->ends[i - 2] : 0;
    if (o->ends[i - 1] - before_start > 3)
        return 1;  /* (a) */
    /* (b) */
    if (o->ends[i + 1] - o->starts[i + 1] == 1 && ends_line(ukind, data, o, i + 1)) {
        int cmp = PyUnicode_Compare(o->kinds[i + 1], punct);
        if (cmp == 0 || PyErr_Occurred()) {
            PyErr_Clear();
            return 0;
        }
    }
    if (c != '.' || o->starts[i] > o->ends[i - 1])
        return 1;  /* not a full stop, or not glued to the word before */
    if (Py_UNICODE_ISDIGIT(PyUnicode_READ(ukind, data, o->starts[i - 1])))
        return 0;  /* perhaps a numbered item: the scan decides */
    return o->ends[i - 1] - o->starts[i - 1] == 3 || !initials(ukind, data, o, i);
}

static int
is_dash_token(int ukind, const void *data, const Out *o, Py_ssize_t k)
{
    if (o->ends[k] - o->starts[k] != 1)
        return 0;
    const Py_UCS4 c = PyUnicode_READ(ukind, data, o->starts[k]);
    return c == '-' || c == 0x2013 || c == 0x2014;
}

/* Is token k one of ``words`` (1, 0, or -1 with an exception set)? */
static int
token_in(PyObject *text, const Out *o, Py_ssize_t k, PyObject *words)
{
    PyObject *tok = PyUnicode_Substring(text, o->starts[k], o->ends[k]);
    if (tok == NULL)
        return -1;
    int found = PySet_Contains(words, tok);
    Py_DECREF(tok);
    return found;
}

/* A colon or dash the sentence scan would pass over whatever its state (1), or not (0; -1 with an
 * exception set).  A colon ends a dateline (_Scan.dateline) only when it is not the last token, no
 * quotation mark follows, and among the tokens before it (at most ``max_tokens``, segmenter.py's
 * DATELINE_MAX_TOKENS) there is a dash, or among the last ``name_words`` (AGENCY_HEAD_MAX_WORDS) one of
 * ``dateline_words`` (the last words of the agencies' names, and «خبرگزاری»).  A
 * dash starts an agency's name (_Scan.agency_after) only when one of ``agency_firsts`` follows. */
static int
passed_over(PyObject *text, int ukind, const void *data, const Out *o, Py_ssize_t i, PyObject *dateline_words,
            PyObject *agency_firsts, Py_ssize_t max_tokens, Py_ssize_t name_words)
{
    if (o->ends[i] - o->starts[i] != 1)
        return 0;
    const Py_UCS4 c = PyUnicode_READ(ukind, data, o->starts[i]);
    if (c == '-') {
        if (i + 1 == o->n)
            return 1;
        int found = token_in(text, o, i + 1, agency_firsts);
        return found < 0 ? -1 : !found;
    }
    if (c != ':')
        return 0;
    if (i + 1 == o->n)
        return 1;
    const Py_UCS4 next = PyUnicode_READ(ukind, data, o->starts[i + 1]);
    if (next == 0xab || next == 0x201c || next == '"')
        return 1;
    for (Py_ssize_t k = i - 1; k >= 0 && k >= i - max_tokens; k--) {
        if (is_dash_token(ukind, data, o, k))
            return 0;
    }
    for (Py_ssize_t k = i - 1; k >= 0 && k >= i - name_words; k--) {
        int found = token_in(text, o, k, dateline_words);
        if (found)
            return found < 0 ? -1 : 0;
    }
    return 1;
}

#if defined(__GNUC__)
#define ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define ALWAYS_INLINE inline
#endif

/* PyUnicode_READY on Pythons before 3.12 (where a str may not be ready yet): 0, or -1 with an
 * exception set */
static int
ready(PyObject *s)
{
#if PY_VERSION_HEX < 0x030C0000
    return PyUnicode_READY(s);
#else
    (void)s;
    return 0;
#endif
}

/* pass(..., kind, data, len) over the str ``text`` (a variable: it is read more than once), an
 * expression: one call of the ALWAYS_INLINE pass per string width (PyUnicode_KIND), each with
 * ``kind`` a constant, so that the compiler makes one loop per width, inside the caller.  (Three
 * out-of-line specialisations called through a table of pointers gave the same instructions but made
 * triples 5-10% slower on the bench file: the loop no longer sat in the caller with its Offsets.) */
#define BY_KIND(text, pass, ...)                                                                      \
    (PyUnicode_KIND(text) == PyUnicode_1BYTE_KIND                                                    \
         ? pass(__VA_ARGS__, PyUnicode_1BYTE_KIND, PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)) \
     : PyUnicode_KIND(text) == PyUnicode_2BYTE_KIND                                                  \
         ? pass(__VA_ARGS__, PyUnicode_2BYTE_KIND, PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)) \
         : pass(__VA_ARGS__, PyUnicode_4BYTE_KIND, PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)))

/* The tokens of text into o (0, or -1 with an exception set); ``ukind`` is a constant at each call
 * (BY_KIND), so that the compiler makes one loop per string width. */
static ALWAYS_INLINE int
tokens_pass(Out *o, PyObject *text, PyObject *match, PyObject *first_kind, PyObject *kind_cache, PyObject *stems,
            PyObject *word, PyObject *punct, PyObject *number, const int ukind, const void *data, const Py_ssize_t len)
{
    Py_ssize_t pos = 0;
    while (pos < len) {
        /* white space before the token */
        int line_break = 0;
        Py_UCS4 c = PyUnicode_READ(ukind, data, pos);
        while (is_space(c)) {
            line_break |= is_line_break(c);
            if (++pos == len)
                return 0;  /* trailing white space: no token */
            c = PyUnicode_READ(ukind, data, pos);
        }
        if (line_break && o->n > 0 && out_event(o, ~o->n) < 0)
            return -1;
        const Py_ssize_t start = pos;
        Py_ssize_t end = -1;
        PyObject *kind = NULL;
        if (is_ar(c)) {
            end = start + 1;
            while (end < len && is_ar(PyUnicode_READ(ukind, data, end)))
                end++;
            if (end < len && PyUnicode_READ(ukind, data, end) == '.') {
                if (end - start < 2) {
                    end = -1;
                }
                else {
                    PyObject *run = PyUnicode_Substring(text, start, end);
                    if (run == NULL)
                        return -1;
                    int listed = PySet_Contains(stems, run);
                    Py_DECREF(run);
                    if (listed < 0)
                        return -1;
                    if (listed)
                        end = -1;
                }
            }
            if (end > 0) {
                kind = word;
                Py_INCREF(kind);
            }
        }
        else if (is_single_punct(c)
                 || (is_run_mark(c) && (start + 1 == len || PyUnicode_READ(ukind, data, start + 1) != c))) {
            end = start + 1;
            kind = punct;
            Py_INCREF(kind);
        }
        else if (number != Py_None && is_digit(c)) {
            Py_ssize_t k = start + 1;
            while (k < len && is_digit(PyUnicode_READ(ukind, data, k)))
                k++;
            if (k == len || ends_digits(PyUnicode_READ(ukind, data, k))) {
                end = k;
                kind = number;
                Py_INCREF(kind);
            }
        }
        if (end < 0) {
            end = regex_end(match, text, start, len);
            if (end < 0)
                return -1;
            kind = fallback_kind(text, start, end, c, first_kind, kind_cache);
            if (kind == NULL)
                return -1;
        }
        /* a token the sentence scan looks at: one event mark, or a run of one of . ! ? ؟ … */
        int event = 0;
        if (end - start == 1) {
            event = is_event_char(c);
        }
        else if (is_run_mark(c)) {
            event = 1;
            for (Py_ssize_t k = start + 1; k < end; k++) {
                if (PyUnicode_READ(ukind, data, k) != c) {
                    event = 0;
                    break;
                }
            }
        }
        if (event && out_event(o, o->n) < 0) {
            Py_DECREF(kind);
            return -1;
        }
        if (out_token(o, start, end, kind) < 0)
            return -1;
        pos = end;
    }
    return 0;
}

static PyObject *
scan(PyObject *self, PyObject *args)
{
    PyObject *text, *match, *first_kind, *kind_cache, *stems, *word, *punct, *number, *dateline_words, *agency_firsts;
    Py_ssize_t max_tokens, name_words;
    if (!PyArg_ParseTuple(args, "UOO!OO!UUOO!O!nn:scan", &text, &match, &PyDict_Type, &first_kind, &kind_cache,
                          &PyFrozenSet_Type, &stems, &word, &punct, &number, &PyFrozenSet_Type, &dateline_words,
                          &PyFrozenSet_Type, &agency_firsts, &max_tokens, &name_words)
        || ready(text) < 0)
        return NULL;
    const int ukind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Out o = {0};
    if (BY_KIND(text, tokens_pass, &o, text, match, first_kind, kind_cache, stems, word, punct, number))
        goto error;
    /* plain stops: events i that the sentence scan settles at once, given as n + i; a stop, mark or
     * ellipsis that ends the text or a line is dropped (the scan would leave everything as it is) */
    Py_ssize_t kept = 0;
    for (Py_ssize_t k = 0; k < o.events.n; k++) {
        Py_ssize_t ev = o.events.v[k];
        if (ev >= 0) {
            if (is_run_mark(PyUnicode_READ(ukind, data, o.starts[ev])) && ends_line(ukind, data, &o, ev))
                continue;
            if (ev > 0 && ev + 1 < o.n && plain_stop(ukind, data, &o, ev, punct))
                ev += o.n;
            else {
                int pass = passed_over(text, ukind, data, &o, ev, dateline_words, agency_firsts, max_tokens, name_words);
                if (pass < 0)
                    goto error;
                if (pass)
                    continue;
            }
        }
        o.events.v[kept++] = ev;
    }
    o.events.n = kept;
    PyObject *starts = NULL, *ends = NULL, *kinds = NULL, *events = NULL;
    starts = int_list(o.starts, o.n);
    ends = starts ? int_list(o.ends, o.n) : NULL;
    events = ends ? int_list(o.events.v, o.events.n) : NULL;
    kinds = events ? PyList_New(o.n) : NULL;
    if (kinds == NULL) {
        Py_XDECREF(starts);
        Py_XDECREF(ends);
        Py_XDECREF(events);
        goto error;
    }
    for (Py_ssize_t i = 0; i < o.n; i++)
        PyList_SET_ITEM(kinds, i, o.kinds[i]);  /* steals */
    PyMem_Free(o.kinds);
    o.kinds = NULL;
    out_free(&o);
    return Py_BuildValue("(NNNN)", starts, ends, kinds, events);
error:
    out_free(&o);
    return NULL;
}

/* ---------------------------------------------------------------------------
 * Character scans for the normalizer (khabar/text/normalizer.py): one pass over the text in C where
 * the pure-Python path (the reference, used without this extension) makes one str.find pass per
 * character or a regex scan.
 *
 * find_chars(text, targets) -> list[int]: the sorted offsets of the characters of text that are in
 *     targets (each offset once);
 * triples(text) -> list[int]: the starts of the matches of re.finditer(r"(.)\1\1", text) (three
 *     equal characters other than "\n"; a run of k equal characters holds k // 3 matches);
 * spacing_at(text, flags) -> list[int]: the candidates of fix_spacing (below);
 * remap(text, table) -> str: a character map applied (below);
 * touching_runs(text, targets) -> list[tuple[int, int]]: runs of targets not between white space (below).
 */

#define CHARSET_HIGH 64

typedef struct {
    unsigned char bits[0x10000 / 8];  /* the BMP characters of the set */
    Py_UCS4 high[CHARSET_HIGH];       /* the others */
    int n_high;
} CharSet;

static int
charset_has(const CharSet *cs, Py_UCS4 c)
{
    if (c < 0x10000)
        return (cs->bits[c >> 3] >> (c & 7)) & 1;
    for (int i = 0; i < cs->n_high; i++) {
        if (cs->high[i] == c)
            return 1;
    }
    return 0;
}

static void
charset_clear(CharSet *cs)
{
    memset(cs->bits, 0, sizeof(cs->bits));
    cs->n_high = 0;
}

/* 0, or -1 (no exception set) when c is outside the BMP and the set has CHARSET_HIGH such already */
static int
charset_add(CharSet *cs, Py_UCS4 c)
{
    if (c < 0x10000)
        cs->bits[c >> 3] |= (unsigned char)(1 << (c & 7));
    else if (!charset_has(cs, c)) {
        if (cs->n_high == CHARSET_HIGH)
            return -1;
        cs->high[cs->n_high++] = c;
    }
    return 0;
}

/* 0, or -1 with an exception set */
static int
charset_init(CharSet *cs, PyObject *targets)
{
    charset_clear(cs);
    const int kind = PyUnicode_KIND(targets);
    const void *data = PyUnicode_DATA(targets);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(targets);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (charset_add(cs, PyUnicode_READ(kind, data, i)) < 0) {
            PyErr_SetString(PyExc_ValueError, "too many characters outside the BMP in targets");
            return -1;
        }
    }
    return 0;
}

static PyObject *
offsets_list(Offsets *o)
{
    PyObject *list = int_list(o->v, o->n);
    PyMem_Free(o->v);
    o->v = NULL;
    return list;
}

/* The result of a pass that put offsets into o and returned ``failed``: their list, or NULL (the
 * pass's exception set) */
static PyObject *
offsets_result(Offsets *o, int failed)
{
    if (failed) {
        PyMem_Free(o->v);
        o->v = NULL;
        return NULL;
    }
    return offsets_list(o);
}

/* The arguments (text, targets) of a scan (``format``, e.g. "UU:find_chars", names it in the
 * messages of bad arguments) and the CharSet of targets; NULL with an exception set.  The caller
 * frees it (PyMem_Free). */
static CharSet *
text_and_targets(PyObject *args, const char *format, PyObject **text, PyObject **targets)
{
    if (!PyArg_ParseTuple(args, format, text, targets) || ready(*text) < 0 || ready(*targets) < 0)
        return NULL;
    CharSet *cs = PyMem_Malloc(sizeof(CharSet));
    if (cs == NULL)
        return (CharSet *)PyErr_NoMemory();
    if (charset_init(cs, *targets) < 0) {
        PyMem_Free(cs);
        return NULL;
    }
    return cs;
}

static ALWAYS_INLINE int
find_chars_pass(Offsets *o, const CharSet *cs, const int kind, const void *data, const Py_ssize_t len)
{
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (charset_has(cs, c) && offsets_push(o, i) < 0)
            return -1;
    }
    return 0;
}

static PyObject *
find_chars(PyObject *self, PyObject *args)
{
    PyObject *text, *targets;
    CharSet *cs = text_and_targets(args, "UU:find_chars", &text, &targets);
    if (cs == NULL)
        return NULL;
    Offsets o = {0};
    int failed = BY_KIND(text, find_chars_pass, &o, cs);
    PyMem_Free(cs);
    return offsets_result(&o, failed);
}

static ALWAYS_INLINE int
triples_pass(Offsets *o, const int kind, const void *data, const Py_ssize_t len)
{
    Py_ssize_t i = 0;
    while (i + 2 < len) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c != '\n' && PyUnicode_READ(kind, data, i + 1) == c && PyUnicode_READ(kind, data, i + 2) == c) {
            if (offsets_push(o, i) < 0)
                return -1;
            i += 3;
        }
        else
            i++;
    }
    return 0;
}

static PyObject *
triples(PyObject *self, PyObject *args)
{
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U:triples", &text) || ready(text) < 0)
        return NULL;
    Offsets o = {0};
    return offsets_result(&o, BY_KIND(text, triples_pass, &o));
}

/* spacing_at(text, flags) -> list[int]: where fix_spacing can change something, as _spacing_at_py in
 * normalizer.py finds it (sorted, each offset once): the start of every match of the regex
 * _SPACING_AT_RE and its second character when it has two; white space other than " "; the start of
 * every "  " found after the end of the last one.  ``flags`` (65536 bytes) gives each BMP
 * character's classes (SP_* below, the character classes of that regex); a character outside the
 * BMP is in none. */
enum {
    SP_SPACE = 1,     /* [H]: horizontal white space */
    SP_LETTER = 2,    /* [L]: a Persian letter */
    SP_CLOSE = 4,     /* [\r\n،؛؟!)\]»}.:,;?…]: before it, white space is looked at */
    SP_OPEN = 8,      /* [«(\[]: after it, white space is looked at */
    SP_PUNCT = 16,    /* [،؛؟!:.»)\]]: a letter, « or ( may follow without a space */
    SP_OPEN2 = 32,    /* [«(]: a letter may precede it without a space */
    SP_OTHER_SPACE = 64,  /* [H] but " " */
};

static ALWAYS_INLINE int
spacing_at_pass(Offsets *o, const unsigned char *flags, const int kind, const void *data, const Py_ssize_t len)
{
#define SP_FLAGS(c) ((c) < 0x10000 ? flags[(c)] : 0)
#define SP_PUSH(x) do { if ((o->n == 0 || o->v[o->n - 1] != (x)) && offsets_push(o, (x)) < 0) return -1; } while (0)
    Py_ssize_t doubles_from = 0;  /* where the next "  " may start */
    uint64_t pair = 0;  /* the last two characters */
    const uint64_t two_spaces = ((uint64_t)' ' << 32) | ' ';
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        /* "  " ending here: one comparison of both characters (one branch, rarely taken; a branch
         * on c == ' ' would be mispredicted at every other word, which made this scan 3x slower) */
        pair = (pair << 32) | c;
        if (pair == two_spaces && i - 1 >= doubles_from) {
            SP_PUSH(i - 1);
            doubles_from = i + 1;
        }
        unsigned char f = SP_FLAGS(c);
        if (f & SP_OTHER_SPACE) {
            SP_PUSH(i);
            continue;
        }
        if (!(f & (SP_CLOSE | SP_OPEN)))
            continue;
        unsigned char before = i > 0 ? SP_FLAGS(PyUnicode_READ(kind, data, i - 1)) : 0;
        unsigned char after = i + 1 < len ? SP_FLAGS(PyUnicode_READ(kind, data, i + 1)) : 0;
        if (c == '\n' && (after & SP_SPACE)) {  /* (?<=\n)[H]: a match of two characters */
            SP_PUSH(i);
            SP_PUSH(i + 1);
        }
        else if (((f & SP_CLOSE) && (before & SP_SPACE)) || ((f & SP_OPEN) && (after & SP_SPACE))
                 || ((f & SP_PUNCT) && (after & (SP_LETTER | SP_OPEN2))) || ((f & SP_OPEN2) && (before & SP_LETTER)))
            SP_PUSH(i);
    }
#undef SP_PUSH
#undef SP_FLAGS
    return 0;
}

static PyObject *
spacing_at(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_buffer flags;
    if (!PyArg_ParseTuple(args, "Uy*:spacing_at", &text, &flags))
        return NULL;
    if (flags.len != 0x10000) {
        PyBuffer_Release(&flags);
        PyErr_SetString(PyExc_ValueError, "spacing_at: flags must have 65536 bytes");
        return NULL;
    }
    Offsets o = {0};
    int failed = ready(text) < 0 || BY_KIND(text, spacing_at_pass, &o, flags.buf);
    PyBuffer_Release(&flags);
    return offsets_result(&o, failed);
}

/* remap(text, table) -> str: text with every character that is a key of ``table`` (a dict of
 * one-character strings) replaced with its value, one character or "" (deleted); ``text`` itself
 * when none occurs.  As str.translate with that table, in one pass over the text. */

typedef struct {
    Py_UCS4 key, value;  /* value NO_CHAR: deleted */
} MapEntry;

#define NO_CHAR 0xFFFFFFFFu

static int
map_entry_cmp(const void *a, const void *b)
{
    Py_UCS4 x = ((const MapEntry *)a)->key, y = ((const MapEntry *)b)->key;
    return x < y ? -1 : x > y;
}

static Py_UCS4
map_lookup(const MapEntry *entries, Py_ssize_t n, Py_UCS4 c)
{
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (entries[mid].key < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return entries[lo].value;  /* c is a key: the caller checked the set */
}

static PyObject *
remap(PyObject *self, PyObject *args)
{
    PyObject *text, *table;
    if (!PyArg_ParseTuple(args, "UO!:remap", &text, &PyDict_Type, &table) || ready(text) < 0)
        return NULL;
    Py_ssize_t n = PyDict_GET_SIZE(table);
    CharSet *cs = PyMem_Malloc(sizeof(CharSet));
    MapEntry *entries = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(MapEntry));
    PyObject *result = NULL;
    Offsets hits = {0}, mapped = {0};  /* where the keys are, and what each becomes (NO_CHAR: nothing) */
    if (cs == NULL || entries == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    charset_clear(cs);
    PyObject *k, *v;
    Py_ssize_t pos = 0, i = 0;
    while (PyDict_Next(table, &pos, &k, &v)) {
        if (!PyUnicode_Check(k) || PyUnicode_GET_LENGTH(k) != 1 || !PyUnicode_Check(v)
            || PyUnicode_GET_LENGTH(v) > 1) {
            PyErr_SetString(PyExc_ValueError, "remap: table must map one character to one character or \"\"");
            goto done;
        }
        Py_UCS4 c = PyUnicode_READ_CHAR(k, 0);
        if (charset_add(cs, c) < 0) {
            PyErr_SetString(PyExc_ValueError, "remap: too many keys outside the BMP");
            goto done;
        }
        entries[i].key = c;
        entries[i].value = PyUnicode_GET_LENGTH(v) ? PyUnicode_READ_CHAR(v, 0) : NO_CHAR;
        i++;
    }
    qsort(entries, (size_t)n, sizeof(MapEntry), map_entry_cmp);
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    /* first pass: where the keys are, the result's length and its largest character */
    Py_ssize_t out_len = 0;
    Py_UCS4 max = 0;
    for (Py_ssize_t j = 0; j < len; j++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, j);
        if (charset_has(cs, c)) {
            c = map_lookup(entries, n, c);
            if (offsets_push(&hits, j) < 0 || offsets_push(&mapped, (Py_ssize_t)c) < 0)
                goto done;
            if (c == NO_CHAR)
                continue;
        }
        out_len++;
        if (c > max)
            max = c;
    }
    if (hits.n == 0) {
        Py_INCREF(text);
        result = text;
        goto done;
    }
    result = PyUnicode_New(out_len, max);
    if (result == NULL)
        goto done;
    const int okind = PyUnicode_KIND(result);
    char *odata = PyUnicode_DATA(result);
    Py_ssize_t o = 0, prev = 0;
    for (Py_ssize_t h = 0; h <= hits.n; h++) {
        Py_ssize_t at = h < hits.n ? hits.v[h] : len;
        /* the characters before the key at ``at``, as they are */
        if (okind == kind)
            memcpy(odata + o * kind, (const char *)data + prev * kind, (size_t)(at - prev) * (size_t)kind);
        else {
            for (Py_ssize_t j = prev; j < at; j++)
                PyUnicode_WRITE(okind, odata, o + j - prev, PyUnicode_READ(kind, data, j));
        }
        o += at - prev;
        if (h == hits.n)
            break;
        Py_UCS4 c = (Py_UCS4)mapped.v[h];
        if (c != NO_CHAR) {
            PyUnicode_WRITE(okind, odata, o, c);
            o++;
        }
        prev = at + 1;
    }
done:
    PyMem_Free(hits.v);
    PyMem_Free(mapped.v);
    PyMem_Free(cs);
    PyMem_Free(entries);
    return result;
}

/* touching_runs(text, targets) -> list[tuple[int, int]]: the maximal runs of characters of targets,
 * as (start, end), except those with white space (str.isspace) or an end of the text on both sides. */
static ALWAYS_INLINE int
touching_runs_pass(Offsets *o, const CharSet *cs, const int kind, const void *data, const Py_ssize_t len)
{
    Py_ssize_t i = 0;
    while (i < len) {
        if (!charset_has(cs, PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        while (i < len && charset_has(cs, PyUnicode_READ(kind, data, i)))
            i++;
        int alone = (start == 0 || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start - 1)))
                    && (i == len || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)));
        if (!alone && (offsets_push(o, start) < 0 || offsets_push(o, i) < 0))
            return -1;
    }
    return 0;
}

static PyObject *
touching_runs(PyObject *self, PyObject *args)
{
    PyObject *text, *targets;
    CharSet *cs = text_and_targets(args, "UU:touching_runs", &text, &targets);
    if (cs == NULL)
        return NULL;
    Offsets o = {0};
    int failed = BY_KIND(text, touching_runs_pass, &o, cs);
    PyMem_Free(cs);
    PyObject *list = failed ? NULL : PyList_New(o.n / 2);
    for (Py_ssize_t k = 0; list != NULL && k < o.n / 2; k++) {
        PyObject *pair = Py_BuildValue("(nn)", o.v[2 * k], o.v[2 * k + 1]);
        if (pair == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, k, pair);
    }
    PyMem_Free(o.v);
    return list;
}

static PyMethodDef scan_methods[] = {
    {"scan", scan, METH_VARARGS,
     "scan(text, match, first_kind, kind_cache, stems, word, punct, number, dateline_words, agency_firsts)\n"
     "-> (starts, ends, kinds, events)\n\n"
     "Token offsets, kinds and sentence-scan events of text, as token_re().findall would cut it."},
    {"find_chars", find_chars, METH_VARARGS,
     "find_chars(text, targets) -> list[int]\n\nThe sorted offsets of the characters of text that are in targets."},
    {"spacing_at", spacing_at, METH_VARARGS,
     "spacing_at(text, flags) -> list[int]\n\nWhere normalizer.fix_spacing can change something (_spacing_at_py)."},
    {"remap", remap, METH_VARARGS,
     "remap(text, table) -> str\n\ntext with each key of table (one character) replaced with its value (one "
     "character or \"\"), in one pass."},
    {"touching_runs", touching_runs, METH_VARARGS,
     "touching_runs(text, targets) -> list[tuple[int, int]]\n\nThe maximal runs of characters of targets but "
     "those between white space or the ends of text."},
    {"triples", triples, METH_VARARGS,
     "triples(text) -> list[int]\n\nThe starts of the matches of re.finditer(r'(.)\\1\\1', text)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef scan_module = {
    PyModuleDef_HEAD_INIT, "_scan", "The token scan of khabar.text.segmenter in C (optional).", -1, scan_methods,
};

PyMODINIT_FUNC
PyInit__scan(void)
{
    return PyModule_Create(&scan_module);
}
