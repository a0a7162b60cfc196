"""Wenzhou (温州市): the rules of 温州市城乡社区规范化建设暂行办法 (温委办发〔2011〕178号).

The text is about building communities to a standard rather than about managing workers one by
one, so most of its rules are about a community as a whole: its size (第八条), how many full-time
workers and police assistants it needs (第十九条), its office space (第十五条), its yearly
operating funds (第二十二条) and how often it discloses its affairs (第十二条). For workers it
gives a pay structure without figures (第二十三条), a pay floor tied to the local average wage
(第十九条) and a yearly labour contract (第十九条, 一年一聘). It has no grades, quotas, leave or
recruitment conditions, so those hooks are left to core's NoAnswer.
"""
