"""Shenyang (沈阳市): the rules of 沈阳市社区工作者管理办法 (000_a0ecfbd89ce21d4d.txt 第五篇).

The text sets the frame (worker types, terms, conditions, a four-grade assessment with hard
downgrade grounds, training hours, exit and appeal deadlines) but leaves every pay figure to the
districts (区、县(市)), so pay ships as a table parameter an operator fills per district.
"""
