"""argparse in Chinese: its usage line, headings, --help text and error messages.

argparse writes its own words in English ("usage:", "options", "the following arguments are required");
a clerk sees them on every mistyped command. The messages are translated by pattern; an unknown one keeps
its argument names under a Chinese heading rather than showing argparse's English sentence.
"""
from __future__ import annotations

import argparse
import re
import sys

_MESSAGES = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), "参数 {0} 的值 {1} 无效（可选：{2}）"),
    (re.compile(r"argument (.+?): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (.+?): expected at least one argument"), "参数 {0} 后面至少需要一个值"),
    (re.compile(r"argument (.+?): expected (.+) arguments?"), "参数 {0} 后面需要的值的个数不对"),
    (re.compile(r"argument (.+?): invalid (\w+) value: (.+)"), "参数 {0} 的值 {2} 不是有效的数值"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"one of the arguments (.+) is required"), "必须给出其中一个参数：{0}"),
    (re.compile(r"ambiguous option: (.+?) could match (.+)"), "参数 {0} 不明确，可能是：{1}"),
)
_ARGUMENT = re.compile(r"(?<![\w-])(--?[\w-]+|[A-Z][A-Z_]+)")


def translate(message: str) -> str:
    for pattern, chinese in _MESSAGES:
        m = pattern.fullmatch(message.strip())
        if m:
            return chinese.format(*m.groups())
    names = "、".join(dict.fromkeys(_ARGUMENT.findall(message)))
    return f"参数有误（{names}）" if names else "参数有误"


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose every word for the user is Chinese (subparsers inherit the class)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")
