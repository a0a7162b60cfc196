"""Jiulongpo district, Chongqing (九龙坡区): 重庆市九龙坡区社区工作者管理办法（试行）.

九龙坡府办发〔2023〕92号, in force 2023-12-01 (第三十三条). It is a worker-management text: posts and
the 两委 size (第十三条), promotion seniority (第十六条), pay as a multiple of the district's
per-capita disposable income (第二十条), dismissal grounds (第二十三、二十四条), probation and
training (第二十五 – 二十七条), secondment (第二十八条), grid duty (第九条) and four grades
(第三十二条). It gives no quota, so the grade quota list is empty; retirement and annual leave
follow national rules (第二十九条 for leave).
"""
