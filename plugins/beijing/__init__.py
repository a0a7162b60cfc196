"""Beijing (北京市) and its Haidian district (海淀区): the community-worker rules of 京办发[2008]20号.

The city's text (000_a0ecfbd89ce21d4d.txt 第四篇, 北京市社区工作者管理办法(试行)) gives the pay
structure every district follows: three pay tiers by post, a base wage, a seniority allowance that
grows 50 a month for each year graded 合格 or better, an allowance for the national social-work
certificates, a yearly bonus pool per street, the retirement ages, the recruitment conditions for
服务站 staff and the four assessment grades. 第三篇 (北京市社区管理办法) adds the 服务站 staffing
standard of one worker per 500 households.

Haidian's text (第一篇, 海淀区社区工作者管理办法(试行)) repeats the city's pay and adds what differs:
paid annual leave, a three-year service agreement for 服务站 staff, the yearly training exam that
bars 优秀, the bonus cut and the end of the agreement after two 不合格 years, and the deadline to
obtain a certificate by the end of 2013. `haidian.py` implements only those differences; the rest
is answered by the city's hooks in `plugin.py` with Haidian's parameters (`haidian_params.toml`).
"""
