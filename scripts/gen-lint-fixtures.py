# Writes tests/fixtures/lint/<RULE>/{fail_*,pass_*}.{json,tf} and expect.txt. In each fixture text,
# the character U+00BB marks where a finding must start; it is removed and its line:column goes
# to expect.txt. Run: python3 scripts/gen-lint-fixtures.py (from anywhere).
import os, json, textwrap
ROOT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'lint')
M='»'
specs={}
def J(stmts, version=True, extra=''):
    v='  "Version": "2012-10-17",\n' if version else ''
    return '{\n'+v+'  "Statement": [\n'+textwrap.indent(stmts.strip('\n'),'    ')+'\n  ]'+extra+'\n}\n'
def TJ(stmts, rtype='aws_iam_policy', arg='policy', name='p', version=True, pre=''):
    v='    Version = "2012-10-17"\n' if version else ''
    return (f'resource "{rtype}" "{name}" {{\n  name = "{name}"\n{pre}  {arg} = jsonencode({M if pre=="MARKOBJ" else ""}{{\n'+v+
            '    Statement = [\n'+textwrap.indent(stmts.strip('\n'),'      ')+'\n    ]\n  })\n}\n').replace('MARKOBJ','')
def TD(blocks, rtype='aws_iam_policy', arg='policy', name='p'):
    return ('data "aws_iam_policy_document" "d" {\n'+textwrap.indent(blocks.strip('\n'),'  ')+'\n}\n\n'+
            f'resource "{rtype}" "{name}" {{\n  name = "{name}"\n  {arg} = data.aws_iam_policy_document.d.json\n}}\n')
def TH(js, rtype='aws_iam_role_policy', arg='policy', name='p'):
    return f'resource "{rtype}" "{name}" {{\n  name = "{name}"\n  role = "r"\n  {arg} = <<EOF\n'+js+'EOF\n}\n'

def add(code, **files): specs.setdefault(code,{}).update(files)

S3OK='{\n  "Effect": "Allow",\n  "Action": ["s3:GetObject"],\n  "Resource": "arn:aws:s3:::data/*"\n}'
S3OK_TF='{\n  Effect   = "Allow"\n  Action   = ["s3:GetObject"]\n  Resource = "arn:aws:s3:::data/*"\n}'
def st(effect='Allow', action='"s3:GetObject"', resource='"arn:aws:s3:::data/*"', extra=''):
    lines=[f'"Effect": "{effect}"', f'"Action": {action}'] if action is not None else [f'"Effect": "{effect}"']
    if resource is not None: lines.append(f'"Resource": {resource}')
    if extra: lines.append(extra)
    return '{\n  '+',\n  '.join(lines)+'\n}'
def tst(effect='Allow', action='"s3:GetObject"', resource='"arn:aws:s3:::data/*"', extra=''):
    lines=[f'Effect   = "{effect}"', f'Action   = {action}']
    if resource is not None: lines.append(f'Resource = {resource}')
    if extra: lines.append(extra)
    return '{\n  '+'\n  '.join(lines)+'\n}'

# IAM000
add('IAM000',
 fail_syntax_json=J('{"Effect": "Allow" '+M+'"Action": "s3:GetObject", "Resource": "*"}'),
 fail_effect_json=J('{\n  "Effect": '+M+'"allow",\n  "Action": "s3:GetObject",\n  "Resource": "arn:aws:s3:::data/*"\n}'),
 fail_effect_tf=TJ('{\n  Effect   = '+M+'"allow"\n  Action   = "s3:GetObject"\n  Resource = "arn:aws:s3:::data/*"\n}'),
 fail_heredoc_tf=TH('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:GetObject" '+M+'"Resource": "*"}\n  ]\n}\n'),
 pass_ok_json=J(S3OK), pass_ok_tf=TJ(S3OK_TF))
# IAM001
add('IAM001',
 fail_service_star_json=J(st(action='['+M+'"s3:*", "ec2:DescribeInstances"]')),
 fail_doc_tf=TD('statement {\n  actions   = ['+M+'"s3:*"]\n  resources = ["arn:aws:s3:::data/*"]\n}'),
 pass_scoped_json=J(S3OK), pass_full_admin_json=J(st(action='"*"', resource='"*"')),
 pass_scoped_tf=TD('statement {\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::data/*"]\n}'))
# IAM002
add('IAM002',
 fail_star_json=J(st(action=M+'"*"', resource='"*"')),
 fail_jsonencode_tf=TJ(tst(action=M+'"*"', resource='"*"'), rtype='aws_iam_role_policy'),
 pass_condition_json=J(st(action='"*"', resource='"*"', extra='"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}')),
 pass_deny_tf=TJ(tst(effect='Deny', action='"*"', resource='"*"')))
# IAM003
add('IAM003',
 fail_json=J(st(resource=M+'"*"')),
 fail_heredoc_tf=TH(J(st(action='["s3:GetObject", "s3:PutObject"]', resource=M+'"*"'))),
 pass_json=J(st(action='"ec2:DescribeInstances"', resource='"*"')),
 pass_tf=TH(J(S3OK)))
# IAM004
add('IAM004',
 fail_json=J(st(action='['+M+'"iam:PassRole"]', resource='"*"')),
 fail_doc_tf=TD('statement {\n  actions   = ['+M+'"iam:Pass*"]\n  resources = ["*"]\n}'),
 pass_json=J(st(action='"iam:PassRole"', resource='"arn:aws:iam::111122223333:role/emr-job"')),
 pass_tf=TD('statement {\n  actions   = ["iam:PassRole"]\n  resources = [aws_iam_role.job.arn]\n}'))
# IAM005
PR='"arn:aws:iam::111122223333:role/emr-job"'
add('IAM005',
 fail_json=J(st(action=M+'"iam:PassRole"', resource=PR)),
 fail_tf=TJ(tst(action='['+M+'"iam:PassRole"]', resource=PR)),
 pass_json=J(st(action='"iam:PassRole"', resource=PR, extra='"Condition": {"StringEquals": {"iam:PassedToService": "emr-serverless.amazonaws.com"}}')),
 pass_tf=TD('statement {\n  actions   = ["iam:PassRole"]\n  resources = ['+PR+']\n  condition {\n    test     = "StringEquals"\n    variable = "iam:PassedToService"\n    values   = ["emr-serverless.amazonaws.com"]\n  }\n}'))
# IAM006
add('IAM006',
 fail_json=J(st(action='["iam:PassRole", '+M+'"ec2:RunInstances"]', resource='"*"')),
 fail_tf=TD('statement {\n  actions   = ['+M+'"iam:CreatePolicyVersion"]\n  resources = ["*"]\n}'),
 pass_json=J(st(action='["ec2:RunInstances"]', resource='"*"')),
 pass_tf=TD('statement {\n  actions   = ["iam:CreatePolicyVersion"]\n  resources = ["arn:aws:iam::111122223333:policy/app"]\n}'))
# IAM007
add('IAM007',
 fail_json=J(st(action=M+'"redshift:GetClusterCredentials"', resource='"*"')),
 fail_tf=TJ(tst(action='['+M+'"sts:GetFederationToken"]', resource='"*"')),
 pass_json=J(st(action='"redshift:GetClusterCredentials"', resource='"arn:aws:redshift:us-east-1:111122223333:dbuser:analytics/etl"')),
 pass_tf=TJ(tst(action='["sts:GetFederationToken"]', resource='"*"', extra='Condition = { StringEquals = { "aws:RequestedRegion" = "us-east-1" } }')))
# IAM008
add('IAM008',
 fail_json=J(st(action=M+'"s3:PutBucketPolicy"', resource='"*"')),
 fail_tf=TD('statement {\n  actions   = ['+M+'"iam:PutRolePolicy"]\n  resources = ["*"]\n}'),
 pass_json=J(st(action='"s3:PutBucketPolicy"', resource='"arn:aws:s3:::data"')),
 pass_tf=TD('statement {\n  actions   = ["iam:PutRolePolicy"]\n  resources = ["arn:aws:iam::111122223333:role/app"]\n}'))
# IAM009
add('IAM009',
 fail_json=J(st(action=M+'"secretsmanager:GetSecretValue"', resource='"*"')),
 fail_heredoc_tf=TH(J(st(action='['+M+'"s3:GetObject"]', resource='"*"'))),
 pass_json=J(st(action='"secretsmanager:GetSecretValue"', resource='"*"', extra='"Condition": {"StringEquals": {"aws:ResourceTag/team": "data"}}')),
 pass_tf=TH(J(S3OK)))
# IAM010
add('IAM010',
 fail_json=J('{\n  "Effect": "Allow",\n  '+M+'"NotAction": "iam:*",\n  "Resource": "*"\n}'),
 fail_tf=TJ('{\n  Effect    = "Allow"\n  '+M+'NotAction = "iam:*"\n  Resource  = "*"\n}'),
 pass_json=J('{\n  "Effect": "Deny",\n  "NotAction": "iam:*",\n  "Resource": "*"\n}'),
 pass_tf=TJ(S3OK_TF))
# IAM011
add('IAM011',
 fail_json=J('{\n  "Effect": "Allow",\n  "Action": "s3:GetObject",\n  '+M+'"NotResource": "arn:aws:s3:::secret/*"\n}'),
 fail_tf=TD('statement {\n  actions       = ["s3:GetObject"]\n  '+M+'not_resources = ["arn:aws:s3:::secret/*"]\n}'),
 pass_json=J('{\n  "Effect": "Deny",\n  "Action": "s3:GetObject",\n  "NotResource": "arn:aws:s3:::public/*"\n}'),
 pass_tf=TD('statement {\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::data/*"]\n}'))
# IAM012
NP='{"AWS": "arn:aws:iam::111122223333:role/app"}'
add('IAM012',
 fail_json=J('{\n  "Effect": "Allow",\n  '+M+'"NotPrincipal": '+NP+',\n  "Action": "s3:GetObject",\n  "Resource": "arn:aws:s3:::data/*"\n}'),
 fail_tf=TJ('{\n  Effect       = "Allow"\n  '+M+'NotPrincipal = { AWS = "arn:aws:iam::111122223333:role/app" }\n  Action       = "s3:GetObject"\n  Resource     = "arn:aws:s3:::data/*"\n}', rtype='aws_s3_bucket_policy'),
 pass_json=J('{\n  "Effect": "Deny",\n  "NotPrincipal": '+NP+',\n  "Action": "s3:GetObject",\n  "Resource": "arn:aws:s3:::data/*"\n}'),
 pass_tf=TJ('{\n  Effect    = "Allow"\n  Principal = { AWS = "arn:aws:iam::111122223333:role/app" }\n  Action    = "s3:GetObject"\n  Resource  = "arn:aws:s3:::data/*"\n}', rtype='aws_s3_bucket_policy'))
# IAM013
add('IAM013',
 fail_json=M+J(S3OK, version=False),
 fail_tf=TJ(S3OK_TF, version=False, pre='MARKOBJ'),
 pass_json=J(S3OK), pass_tf=TJ(S3OK_TF),
 pass_doc_tf=TD('statement {\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::data/*"]\n}'))
# IAM014
add('IAM014',
 fail_json='{\n  "Version": '+M+'"2008-10-17",\n  "Statement": [\n'+textwrap.indent(S3OK,'    ')+'\n  ]\n}\n',
 fail_tf='resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n    Version   = '+M+'"2008-10-17"\n    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::data/*" }]\n  })\n}\n',
 pass_json=J(S3OK), pass_tf=TJ(S3OK_TF))
# IAM015
add('IAM015',
 fail_json=J('{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},\n{"Sid": '+M+'"Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::a"}'),
 fail_tf=TD('statement {\n  sid       = "Read"\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::a/*"]\n}\nstatement {\n  sid       = '+M+'"Read"\n  actions   = ["s3:ListBucket"]\n  resources = ["arn:aws:s3:::a"]\n}'),
 pass_json=J('{"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},\n{"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::a"}'),
 pass_tf=TD('statement {\n  sid       = "A"\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::a/*"]\n}\nstatement {\n  sid       = "B"\n  actions   = ["s3:ListBucket"]\n  resources = ["arn:aws:s3:::a"]\n}'))
# IAM016
add('IAM016',
 fail_json=J(st(action='['+M+'"emrserverless:StartJobRun"]', resource='"*"')),
 fail_tf=TJ(tst(action='['+M+'"s3s:GetObject"]')),
 pass_json=J(st(action='["emr-serverless:StartJobRun"]', resource='"*"')),
 pass_tf=TJ(tst(action='[var.action, "s3:GetObject"]')))
# IAM017
add('IAM017',
 fail_json=J(st(action='['+M+'"s3:GetObjects"]')),
 fail_tf=TJ(tst(action='["s3:GetObject", '+M+'"s3:Gte*"]')),
 pass_json=J(st(action='["s3:Get*", "s3:getobject"]')),
 pass_tf=TJ(tst(action='["s3:GetObject"]')))
# IAM018
add('IAM018',
 fail_json=J(st(action='"s3:ListBucket"', resource='"arn:aws:s3:::data"', extra='"Condition": {"StringEquals": {'+M+'"aws:SourceAcount": "111122223333"}}')),
 fail_tf=TD('statement {\n  actions   = ["s3:ListBucket"]\n  resources = ["arn:aws:s3:::data"]\n  condition {\n    test     = "StringLike"\n    variable = '+M+'"s3:prefixes"\n    values   = ["home/*"]\n  }\n}'),
 pass_json=J(st(action='"s3:ListBucket"', resource='"arn:aws:s3:::data"', extra='"Condition": {"StringLike": {"s3:prefix": "home/*"}, "StringEquals": {"aws:PrincipalTag/team": "data"}}')),
 pass_tf=TD('statement {\n  actions   = ["s3:ListBucket"]\n  resources = ["arn:aws:s3:::data"]\n  condition {\n    test     = "StringLike"\n    variable = "s3:prefix"\n    values   = ["home/*"]\n  }\n}'))
# IAM019
add('IAM019',
 fail_json=J(st(action='"s3:ListBucket"', resource=M+'"arn:aws:s3:::data/*"')),
 fail_tf=TJ(tst(action='["s3:GetObject"]', resource='["arn:aws:s3:::data/*", '+M+'"arn:aws:s3:::data"]')),
 pass_json=J(st(action='["s3:ListBucket", "s3:GetObject"]', resource='["arn:aws:s3:::data", "arn:aws:s3:::data/*"]')),
 pass_tf=TJ(tst(action='["s3:GetObject"]', resource='["arn:aws:s3:::*"]')))
# IAM020
add('IAM020',
 fail_json=J(st(resource=M+'"arn:aws:s3:us-east-1:111122223333:data/*"')),
 fail_tf=TH(J(st(resource='['+M+'"arn:aws:s3::data/*"]'))),
 pass_json=J(st(action='["s3:GetObject", "iam:GetRole"]', resource='["arn:aws:s3:::data/*", "arn:aws:iam::111122223333:role/x"]')),
 pass_tf=TH(J(st(resource='"arn:aws:s3:::${var.bucket}/*"'))))
# IAM021
add('IAM021',
 fail_json=J(st(action='["s3:Get*", '+M+'"s3:GetObject"]')),
 fail_tf=TD('statement {\n  actions   = ["s3:GetObject", '+M+'"s3:getobject"]\n  resources = ["arn:aws:s3:::data/*"]\n}'),
 pass_json=J(st(action='["s3:GetObject", "s3:PutObject"]')),
 pass_tf=TD('statement {\n  actions   = ["s3:Get*", "s3:PutObject"]\n  resources = ["arn:aws:s3:::data/*"]\n}'))
# IAM022
add('IAM022',
 fail_json=J(st(resource='["arn:aws:s3:::data/*", '+M+'"arn:aws:s3:::data/logs/*"]')),
 fail_tf=TJ(tst(resource='["arn:aws:s3:::data/*", '+M+'"arn:aws:s3:::data/*"]')),
 pass_json=J(st(resource='["arn:aws:s3:::data/*", "arn:aws:s3:::logs/*"]')),
 pass_tf=TJ(tst(resource='["arn:aws:s3:::data/*", "arn:aws:s3:::${var.other}/*"]')))
# IAM023
add('IAM023',
 fail_json=J(st(extra='"Condition": {"Bool": {"aws:SecureTransport": '+M+'"yes"}}')),
 fail_tf=TD('statement {\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::data/*"]\n  condition {\n    test     = "StringEquals"\n    variable = "aws:SourceAccount"\n    values   = '+M+'[]\n  }\n}'),
 pass_json=J(st(extra='"Condition": {"Bool": {"aws:SecureTransport": "true"}, "NumericLessThan": {"s3:max-keys": "10"}}')),
 pass_tf=TD('statement {\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::data/*"]\n  condition {\n    test     = "StringEquals"\n    variable = "aws:SourceAccount"\n    values   = [var.account]\n  }\n}'))
# IAM024
add('IAM024',
 fail_json=J(st(extra='"Condition": {'+M+'"ForAllValues:StringEquals": {"aws:SourceAccount": ["111122223333"]}}')),
 fail_tf=TD('statement {\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::data/*"]\n  condition {\n    test     = '+M+'"ForAnyValue:StringEquals"\n    variable = "aws:PrincipalTag/team"\n    values   = ["data"]\n  }\n}'),
 pass_json=J(st(action='"s3:PutObjectTagging"', extra='"Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}')),
 pass_tf=TD('statement {\n  actions   = ["s3:GetObject"]\n  resources = ["arn:aws:s3:::data/*"]\n  condition {\n    test     = "StringEquals"\n    variable = "aws:PrincipalTag/team"\n    values   = ["data"]\n  }\n}'))
# IAM025
big=', '.join('"arn:aws:s3:::bucket-number-%03d/*"' % i for i in range(200))
add('IAM025',
 fail_json=M+J(st(resource='['+big+']')),
 fail_tf=TJ(tst(resource='['+big+']'), version=True, pre='MARKOBJ'),
 pass_json=J(st(resource='['+', '.join('"arn:aws:s3:::b%d/*"' % i for i in range(20))+']')),
 pass_tf=TJ(S3OK_TF))
# trust helpers
def TR(principal, extra=''):
    e=(',\n  '+extra) if extra else ''
    return J('{\n  "Effect": "Allow",\n  "Principal": '+principal+',\n  "Action": "sts:AssumeRole"'+e+'\n}')
def TTR(principal, name='app', extra=''):
    e=('\n  '+extra) if extra else ''
    return ('resource "aws_iam_role" "'+name+'" {\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = '+principal+
            '\n      Action    = "sts:AssumeRole"'+textwrap.indent(e,'    ')+'\n    }]\n  })\n}\n')
add('IAM030',
 fail_json=TR(M+'"*"'),
 fail_tf=TTR('{ AWS = '+M+'"*" }'),
 pass_json=TR('"*"', '"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}'),
 pass_tf=TTR('{ Service = "emr-serverless.amazonaws.com" }'))
add('IAM031',
 fail_json=TR('{"AWS": '+M+'"arn:aws:iam::444455556666:root"}'),
 fail_tf='data "aws_iam_policy_document" "trust" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "AWS"\n      identifiers = ['+M+'"444455556666"]\n    }\n  }\n}\n\nresource "aws_iam_role" "partner" {\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n',
 pass_json=TR('{"AWS": "arn:aws:iam::444455556666:root"}', '"Condition": {"StringEquals": {"sts:ExternalId": "x-123"}}'),
 pass_tf=TTR('{ AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }'))
add('IAM032',
 fail_json=TR('{"Service": '+M+'"emr-serverless.amazonaws.com"}'),
 fail_tf=TTR('{ Service = '+M+'"emr-serverless.amazonaws.com" }'),
 pass_json=TR('{"Service": "emr-serverless.amazonaws.com"}', '"Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}'),
 pass_tf=TTR('{ Service = "emr-serverless.amazonaws.com" }', extra='Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:emr-serverless:us-east-1:111122223333:/applications/*" } }'))
add('EMR001',
 fail_emr_job_runtime_json=TR(M+'{"Service": "elasticmapreduce.amazonaws.com"}'),
 fail_tf=TTR(M+'{ Service = "elasticmapreduce.amazonaws.com" }', name='emr_job_runtime'),
 pass_emr_job_runtime_json=TR('{"Service": "emr-serverless.amazonaws.com"}'),
 pass_tf=TTR('{ Service = ["emr-serverless.amazonaws.com"] }', name='emr_job_runtime'),
 pass_other_role_tf=TTR('{ Service = "ec2.amazonaws.com" }', name='web_server'))

for code, files in specs.items():
    d=os.path.join(ROOT, code); os.makedirs(d, exist_ok=True)
    expect=[]
    for key, text in sorted(files.items()):
        stem, ext = key.rsplit('_',1)
        fname=f'{stem}.{ext}'
        marks=[]; out=''; line=1; col=1
        for ch in text:
            if ch==M: marks.append((line,col)); continue
            out+=ch
            if ch=='\n': line+=1; col=1
            else: col+=1
        assert stem.startswith('pass') == (not marks), (code, fname)
        open(os.path.join(d,fname),'w').write(out)
        for l,c in marks: expect.append(f'{fname} {l}:{c}')
    open(os.path.join(d,'expect.txt'),'w').write('# file line:column of each expected finding of this rule\n'+'\n'.join(expect)+'\n')
print(len(specs))
